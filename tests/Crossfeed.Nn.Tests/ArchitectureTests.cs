using Crossfeed.Core;
using Crossfeed.Nn.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace Crossfeed.Nn.Tests;

public class ArchitectureTests
{
    private const long InputDim = 12;
    private const int Batch = 16;

    public static TheoryData<Architecture, ExpertKind, int> AllArchitectures => new()
    {
        { Architecture.SharedBottom, ExpertKind.Mlp, 0 },
        { Architecture.Mmoe, ExpertKind.Mlp, 0 },
        { Architecture.Mmoe, ExpertKind.Dcn, 0 },
        { Architecture.Ple, ExpertKind.Mlp, 0 },
        { Architecture.Ple, ExpertKind.Dcn, 2 },
        { Architecture.Camoe, ExpertKind.Dcn, 0 },
        { Architecture.Camoe, ExpertKind.Dcn, 3 },
        { Architecture.Camoe, ExpertKind.Mlp, 0 },
    };

    [Theory]
    [MemberData(nameof(AllArchitectures))]
    public void Each_architecture_maps_a_batch_to_finite_logits_per_task_in_train_and_eval_mode(Architecture arch, ExpertKind kind, int lowRank)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(7);
        var config = Config(arch, kind, lowRank: lowRank, levels: 2);
        using var model = ArchitectureFactory.Create(config, InputDim);
        var x = torch.randn(Batch, InputDim);

        model.train();
        var trainLogits = model.call(x);
        Assert.Equal(new long[] { Batch, config.Tasks.Count }, trainLogits.shape);
        Assert.True(trainLogits.isfinite().all().item<bool>());

        model.eval();
        using (torch.no_grad())
        {
            var evalLogits = model.call(x);
            Assert.Equal(new long[] { Batch, config.Tasks.Count }, evalLogits.shape);
            Assert.True(evalLogits.isfinite().all().item<bool>());
            // Eval mode must handle a single row (batch norm uses running statistics).
            var one = model.call(x[..1]);
            Assert.Equal(new long[] { 1, config.Tasks.Count }, one.shape);
        }
    }

    [Theory]
    [MemberData(nameof(AllArchitectures))]
    public void Gradients_reach_every_parameter(Architecture arch, ExpertKind kind, int lowRank)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(11);
        using var model = ArchitectureFactory.Create(Config(arch, kind, lowRank: lowRank, levels: 2), InputDim);
        model.train();
        model.call(torch.randn(Batch, InputDim)).sum().backward();

        var parameters = model.named_parameters().ToList();
        Assert.NotEmpty(parameters);
        foreach (var (name, p) in parameters)
        {
            Assert.True(p.grad is not null, $"{name} has no gradient");
            Assert.True(p.grad!.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Theory]
    [InlineData(Architecture.SharedBottom)]
    [InlineData(Architecture.Mmoe)]
    [InlineData(Architecture.Ple)]
    [InlineData(Architecture.Camoe)]
    public void Same_seed_builds_the_same_network(Architecture arch)
    {
        using var scope = torch.NewDisposeScope();
        var config = Config(arch, arch == Architecture.Camoe ? ExpertKind.Dcn : ExpertKind.Mlp);
        torch.manual_seed(3);
        var x = torch.randn(Batch, InputDim);
        torch.manual_seed(5);
        using var a = ArchitectureFactory.Create(config, InputDim);
        torch.manual_seed(5);
        using var b = ArchitectureFactory.Create(config, InputDim);
        a.eval();
        b.eval();
        using (torch.no_grad())
            Assert.True(a.call(x).eq(b.call(x)).all().item<bool>());
    }

    [Fact]
    public void Cross_layer_computes_x0_times_Wx_plus_b_plus_x()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new CrossLayer("cross", 2);
        using (torch.no_grad())
        {
            foreach (var p in layer.parameters())
            {
                if (p.dim() == 2) p.copy_(torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2));
                else p.copy_(torch.tensor(new float[] { 0.5f, -1 }));
            }
        }
        var x0 = torch.tensor(new float[] { 1, 2 }).reshape(1, 2);
        var x = torch.tensor(new float[] { 3, -1 }).reshape(1, 2);
        // W x = [1, 5]; + b = [1.5, 4]; x0 * that = [1.5, 8]; + x = [4.5, 7].
        var y = layer.call(x0, x).data<float>().ToArray();
        Assert.Equal(4.5f, y[0], 5);
        Assert.Equal(7f, y[1], 5);
    }

    [Fact]
    public void Low_rank_cross_layer_uses_U_times_V_transposed()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        const int d = 4, r = 2;
        using var layer = new CrossLayer("cross", d, r);
        var u = torch.randn(d, r);
        var v = torch.randn(d, r);
        var b = torch.randn(d);
        using (torch.no_grad())
        {
            foreach (var (name, p) in layer.named_parameters())
            {
                if (p.dim() == 1) p.copy_(b);
                else if (p.shape[0] == r) p.copy_(v.t()); // V^T: [r, d]
                else p.copy_(u);                           // U: [d, r]
            }
        }
        var x0 = torch.randn(3, d);
        var x = torch.randn(3, d);
        var expected = x0 * (x.matmul(u.matmul(v.t()).t()) + b) + x;
        Assert.True(layer.call(x0, x).allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Low_rank_cross_layer_has_2dr_plus_d_parameters_and_full_has_d_squared_plus_d()
    {
        const int d = 10, r = 3;
        using var lowRank = new CrossLayer("low", d, r);
        using var full = new CrossLayer("full", d);
        Assert.Equal(2 * d * r + d, lowRank.parameters().Sum(p => p.numel()));
        Assert.Equal(d * d + d, full.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void With_gate_per_group_tasks_of_one_group_share_a_gate()
    {
        string?[] groups = ["ads", "ads", "promo", null];
        using var grouped = (MixtureOfExpertsModel)ArchitectureFactory.Create(
            Config(Architecture.Camoe, ExpertKind.Dcn, perGroup: true, groups: groups), InputDim);
        using var perTask = (MixtureOfExpertsModel)ArchitectureFactory.Create(
            Config(Architecture.Camoe, ExpertKind.Dcn, perGroup: false, groups: groups), InputDim);

        var gates = grouped.modules().OfType<Gate>().ToList();
        Assert.Equal(3, gates.Count);
        Assert.Equal(3, grouped.GateCount);
        Assert.Equal(grouped.GateOfTask(0), grouped.GateOfTask(1));
        Assert.NotEqual(grouped.GateOfTask(0), grouped.GateOfTask(2));
        Assert.NotEqual(grouped.GateOfTask(2), grouped.GateOfTask(3));
        const int experts = 3;
        Assert.Equal(3 * (InputDim * experts + experts), gates.Sum(g => g.parameters().Sum(p => p.numel())));

        Assert.Equal(4, perTask.modules().OfType<Gate>().Count());
        Assert.Equal(4, perTask.GateCount);
    }

    [Fact]
    public void A_tasks_own_modules_are_its_head_and_the_gates_and_experts_no_other_task_reads()
    {
        string?[] groups = ["ads", "ads", "promo"];
        using var camoe = ArchitectureFactory.Create(Config(Architecture.Camoe, ExpertKind.Dcn, perGroup: true, groups: groups), InputDim);
        Assert.Equal(3, camoe.Heads.Count);
        Assert.Equal([camoe.Heads[0]], camoe.TaskModules(0)); // the ads gate serves tasks 0 and 1
        Assert.Equal(2, camoe.TaskModules(2).Count);
        Assert.Same(camoe.Heads[2], camoe.TaskModules(2)[0]);
        Assert.IsType<Gate>(camoe.TaskModules(2)[1]);

        using var ple = ArchitectureFactory.Create(Config(Architecture.Ple, ExpertKind.Mlp, levels: 2, groups: groups), InputDim);
        var own = ple.TaskModules(1);
        Assert.Same(ple.Heads[1], own[0]);
        Assert.Equal(2, own.OfType<Gate>().Count()); // one per level
        Assert.Equal(2, own.OfType<Mlp>().Count()); // its one task expert per level
        Assert.Empty(own.Intersect(ple.TaskModules(0)));
    }

    [Fact]
    public void Gate_outputs_are_nonnegative_and_sum_to_one()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        using var model = ArchitectureFactory.Create(Config(Architecture.Ple, ExpertKind.Mlp, levels: 2), InputDim);
        var x = torch.randn(Batch, InputDim);
        // The first level's gates (task and shared) all read the model input.
        var gates = model.modules().OfType<ExtractionLevel>().First().modules().OfType<Gate>().ToList();
        Assert.Equal(4, gates.Count);
        using var gate = new Gate("g", InputDim, 5);
        foreach (var g in gates.Append(gate))
        {
            var w = g.call(x);
            Assert.True(w.ge(0).all().item<bool>());
            Assert.True(w.sum(1).allclose(torch.ones(Batch), atol: 1e-6));
        }
    }

    [Fact]
    public void Ple_with_two_levels_builds_two_extraction_levels_and_runs()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(9);
        var config = Config(Architecture.Ple, ExpertKind.Mlp, levels: 2);
        using var model = ArchitectureFactory.Create(config, InputDim);
        var levels = model.modules().OfType<ExtractionLevel>().ToList();
        Assert.Equal(2, levels.Count);
        Assert.False(levels[0].IsFinal);
        Assert.True(levels[1].IsFinal);
        // Level 0: shared gate (1) + task gates (T); level 1: task gates only.
        Assert.Equal(1 + 2 * config.Tasks.Count, model.modules().OfType<Gate>().Count());
        var logits = model.call(torch.randn(Batch, InputDim));
        Assert.Equal(new long[] { Batch, config.Tasks.Count }, logits.shape);
    }

    [Theory]
    [InlineData(Architecture.Mmoe, ExpertKind.Mlp)]
    [InlineData(Architecture.Camoe, ExpertKind.Dcn)]
    public void Mixture_of_experts_fits_a_toy_two_task_problem(Architecture arch, ExpertKind kind)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        const int rows = 256, dim = 8;
        var x = torch.randn(rows, dim);
        // Task 0 needs an interaction (sign of x0 * x1), task 1 is linear.
        var y0 = (x[.., 0] * x[.., 1]).gt(0).to_type(ScalarType.Float32);
        var y1 = (x[.., 2] + x[.., 3]).gt(0).to_type(ScalarType.Float32);
        var y = torch.stack([y0, y1], 1);
        var config = Config(arch, kind, perGroup: false, groups: ["a", "b"], dropout: 0);
        using var model = ArchitectureFactory.Create(config, dim);
        model.train();
        using var opt = torch.optim.Adam(model.parameters(), lr: 0.01);
        float first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.call(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < 0.8f * first, $"loss did not fall enough: {first} -> {last}");
    }

    internal static ModelConfig Config(
        Architecture arch,
        ExpertKind kind,
        bool perGroup = false,
        int lowRank = 0,
        int levels = 1,
        string?[]? groups = null,
        double dropout = 0.1)
    {
        groups ??= ["ads", "ads", "promo"];
        var tasks = groups.Select((g, i) => new TaskSpec(Name: $"task{i}", Label: $"label{i}", Sources: [], Scope: TaskScope.All, Tower: i % 2 == 0 ? [8] : [8, 4], Weight: 1f, Group: g)).ToList();
        var expert = new ExpertSpec([16, 8], kind == ExpertKind.Dcn ? new DcnSpec(crossLayers: 2, lowRank) : null);
        var training = new TrainingSpec(
            Epochs: 1, BatchSize: Batch, LearningRate: 1e-3, EmbeddingLearningRate: 1e-3, WeightDecay: 0, ClipNorm: 0,
            Schedule: LrSchedule.Constant, WarmupSteps: 0, EarlyStoppingTasks: [], Patience: 1, Seed: 1, CheckpointEvery: 0,
            Balancing: LossBalancing.Fixed, EmbeddingOptimizer: EmbeddingOptimizer.DenseAdam, Dropout: dropout, MaxStepsPerEpoch: 0);
        var sampling = new SamplingSpec(SamplingMode.Natural, new Dictionary<string, double>(), []);
        return new ModelConfig(
            "test", "test.yaml", arch, [], [], new BottomSpec([16, 8]), new MoeSpec(3, expert, perGroup),
            new PleSpec(sharedExperts: 3, taskExperts: 1, levels, expert), tasks, [], sampling, training, AdaptiveMasking: false);
    }
}

using Crossfeed.Core;
using Crossfeed.Nn.Architectures;
using TorchSharp;

namespace Crossfeed.Nn.Tests;

public class FactorisedForwardTests
{
    private const long InputDim = 12;
    private const int Candidates = 9;

    [Theory]
    [MemberData(nameof(ArchitectureTests.AllArchitectures), MemberType = typeof(ArchitectureTests))]
    public void Factorised_forward_gives_the_logits_of_the_plain_forward_over_repeated_shared_rows(Architecture arch, ExpertKind kind, int lowRank)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        using var model = ArchitectureFactory.Create(ArchitectureTests.Config(arch, kind, lowRank: lowRank, levels: 2), InputDim);
        // A few training-mode passes move the batch-norm running statistics away from 0 and 1.
        model.train();
        using (torch.no_grad())
            for (int i = 0; i < 3; i++) model.call(torch.randn(32, InputDim) * 2 + 1);
        model.eval();

        // Shared columns scattered through the row, as the encoder's output puts user and context
        // embeddings first and their numerics in the dense block at the end.
        long[] sharedColumns = [0, 1, 2, 5, 6, 10];
        long[] candidateColumns = [3, 4, 7, 8, 9, 11];
        var shared = torch.randn(1, sharedColumns.Length);
        var perCandidate = torch.randn(Candidates, candidateColumns.Length);
        var full = torch.zeros(Candidates, InputDim);
        full.index_copy_(1, torch.tensor(sharedColumns), shared.expand(Candidates, -1));
        full.index_copy_(1, torch.tensor(candidateColumns), perCandidate);

        using var _ = torch.no_grad();
        var plain = model.call(full);
        var factorised = model.ForwardFactorised(shared, perCandidate, sharedColumns, candidateColumns);

        Assert.Equal(plain.shape, factorised.shape);
        var gap = (plain - factorised).abs().max().item<float>();
        Assert.True(gap < 1e-5f, $"largest logit difference {gap}");
        // The candidates differ, so equal logits are not an artefact of identical rows.
        Assert.True((plain[0] - plain[1]).abs().max().item<float>() > 1e-3f);
    }

    [Fact]
    public void Factorised_forward_refuses_columns_that_are_not_a_partition_of_the_row()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        using var model = ArchitectureFactory.Create(ArchitectureTests.Config(Architecture.SharedBottom, ExpertKind.Mlp), InputDim);
        model.eval();
        using var _ = torch.no_grad();
        var error = Assert.Throws<ArgumentException>(() => model.ForwardFactorised(
            torch.randn(1, 6), torch.randn(3, 6), [0, 1, 2, 3, 4, 5], [5, 6, 7, 8, 9, 10]));
        Assert.Contains("column 5", error.Message, StringComparison.Ordinal);
    }
}

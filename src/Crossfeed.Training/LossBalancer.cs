using Crossfeed.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>
/// Combines per-task losses L_t into one objective, or (PCGrad) into per-parameter gradients:
/// <list type="bullet">
/// <item>fixed: sum of lambda_t * L_t;</item>
/// <item>uncertainty (Kendall et al. 2018): sum of lambda_t * (exp(-s_t) L_t + s_t / 2), s_t = log sigma_t^2 learned;</item>
/// <item>GradNorm (Chen et al. 2018): task weights w_t moved so that the gradient norms of w_t L_t with
///   respect to the shared input representation follow each task's relative training rate (alpha = 1.5),
///   renormalised to sum to T; measured on the encoder output so it works for every architecture;</item>
/// <item>PCGrad (Yu et al. 2020): per-task gradients whose dot product is negative are projected onto
///   each other's normal plane before they are summed.</item>
/// </list>
/// </summary>
public sealed class LossBalancer : IDisposable
{
    private const double GradNormAlpha = 1.5;
    private const double GradNormLr = 0.025;

    private readonly Tensor _lambda;
    private readonly Parameter? _logVar;
    private readonly Tensor _weights;
    private readonly Tensor _initialLoss;
    private readonly Random _order;

    public LossBalancer(ModelConfig model, Device? device = null)
    {
        Mode = model.Training.Balancing;
        Tasks = model.Tasks.Count;
        _lambda = torch.tensor(model.Tasks.Select(t => t.Weight).ToArray(), device: device).DetachFromDisposeScope();
        _weights = torch.ones(Tasks, device: device).DetachFromDisposeScope();
        _initialLoss = torch.zeros(Tasks, device: device).DetachFromDisposeScope();
        _order = new Random(model.Training.Seed);
        if (Mode == LossBalancing.Uncertainty)
            _logVar = new Parameter(torch.zeros(Tasks, device: device)).DetachFromDisposeScope() as Parameter;
    }

    public LossBalancing Mode { get; }
    public int Tasks { get; }

    /// <summary>Learned parameters the dense optimiser updates (uncertainty weighting only).</summary>
    public IEnumerable<(string Name, Parameter P)> Parameters() =>
        _logVar is null ? [] : [("balance.log_var", _logVar)];

    /// <summary>State that checkpoints must carry besides parameters.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> State() =>
        [("balance.gradnorm_weights", _weights), ("balance.initial_loss", _initialLoss)];

    public Tensor Combine(Tensor perTask) => Mode switch
    {
        LossBalancing.Uncertainty => (_lambda * (torch.exp(-_logVar!) * perTask + 0.5 * _logVar!)).sum(),
        LossBalancing.GradNorm => (_lambda * _weights * perTask).sum(),
        _ => (_lambda * perTask).sum(),
    };

    /// <summary>Backward pass for the configured mode; gradients end up in .grad of <paramref name="parameters"/>.</summary>
    public void Backward(Tensor perTask, Tensor shared, IList<Tensor> parameters)
    {
        switch (Mode)
        {
            case LossBalancing.GradNorm:
                UpdateGradNormWeights(perTask, shared);
                Combine(perTask).backward();
                break;
            case LossBalancing.PcGrad:
                PcGradBackward(perTask, parameters);
                break;
            default:
                Combine(perTask).backward();
                break;
        }
    }

    private void UpdateGradNormWeights(Tensor perTask, Tensor shared)
    {
        using var scope = torch.NewDisposeScope();
        var losses = perTask.detach().cpu().data<float>().ToArray();
        var norms = new double[Tasks];
        for (int t = 0; t < Tasks; t++)
        {
            if (losses[t] <= 0) continue; // no example carried loss for this task in the batch
            var g = torch.autograd.grad([perTask[t]], [shared], retain_graph: true, allow_unused: true)[0];
            norms[t] = g is null || g.IsInvalid ? 0 : g.norm().item<float>();
        }
        using var _ = torch.no_grad();
        var init = _initialLoss.cpu().data<float>().ToArray();
        var w = _weights.cpu().data<float>().ToArray();
        for (int t = 0; t < Tasks; t++)
            if (init[t] == 0 && losses[t] > 0) init[t] = losses[t];
        var ratio = new double[Tasks];
        var active = Enumerable.Range(0, Tasks).Where(t => norms[t] > 0 && init[t] > 0).ToArray();
        if (active.Length == 0) return;
        foreach (var t in active) ratio[t] = losses[t] / init[t];
        var meanRatio = active.Average(t => ratio[t]);
        var meanNorm = active.Average(t => w[t] * norms[t]);
        foreach (var t in active)
        {
            var target = meanNorm * Math.Pow(ratio[t] / meanRatio, GradNormAlpha);
            w[t] = (float)Math.Max(0.05, w[t] - GradNormLr * Math.Sign(w[t] * norms[t] - target) * norms[t]);
        }
        var sum = w.Sum();
        for (int t = 0; t < Tasks; t++) w[t] = w[t] * Tasks / sum;
        _weights.copy_(torch.tensor(w));
        _initialLoss.copy_(torch.tensor(init));
    }

    private void PcGradBackward(Tensor perTask, IList<Tensor> parameters)
    {
        using var scope = torch.NewDisposeScope();
        var losses = perTask.detach().cpu().data<float>().ToArray();
        var lambda = _lambda.cpu().data<float>().ToArray();
        var flat = new List<Tensor>(Tasks);
        for (int t = 0; t < Tasks; t++)
        {
            if (losses[t] <= 0 || lambda[t] == 0) continue;
            var grads = torch.autograd.grad([perTask[t] * lambda[t]], parameters, retain_graph: true, allow_unused: true);
            flat.Add(torch.cat(grads.Select((g, i) => g is null || g.IsInvalid ? torch.zeros(parameters[i].numel(), device: parameters[i].device) : g.reshape(-1)).ToList()));
        }
        if (flat.Count == 0) return;
        var projected = new List<Tensor>(flat.Count);
        for (int i = 0; i < flat.Count; i++)
        {
            var gi = flat[i].clone();
            foreach (var j in Enumerable.Range(0, flat.Count).Where(j => j != i).OrderBy(_ => _order.Next()))
            {
                var dot = gi.dot(flat[j]).item<float>();
                if (dot >= 0) continue;
                var nj = flat[j].dot(flat[j]).item<float>();
                if (nj > 0) gi.sub_(flat[j] * (dot / nj));
            }
            projected.Add(gi);
        }
        var total = torch.stack(projected).sum(0L);
        // Hand the projected gradient to autograd through a surrogate whose gradient it is, so .grad
        // tensors stay owned by torch (no replaced tensors to leak).
        long offset = 0;
        var surrogate = torch.zeros(1, device: perTask.device);
        foreach (var p in parameters)
        {
            var n = p.numel();
            surrogate = surrogate + (p * total.narrow(0, offset, n).reshape(p.shape)).sum();
            offset += n;
        }
        surrogate.backward();
    }

    public void Dispose()
    {
        _lambda.Dispose();
        _logVar?.Dispose();
        _weights.Dispose();
        _initialLoss.Dispose();
    }
}

using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Training;

/// <summary>
/// Per task: which dataset label it reads, and the loss weight of each row. A row carries loss for
/// task t when its label is known, m[source, t] > 0 and, with adaptive masking on, the row is in the
/// task's scope (its modalities, slots, content types).
/// </summary>
public sealed class TaskTargets
{
    private readonly string[] _labels;
    private readonly string[] _names;
    private readonly float[,] _mask;
    private readonly bool[][] _home;
    private readonly TaskScope[] _scopes;
    private readonly bool _adaptive;
    private readonly double[] _keepNegatives;
    private readonly ulong _seed;

    public TaskTargets(ModelConfig model, DatasetConfig dataset)
    {
        _labels = model.Tasks.Select(t => t.Label).ToArray();
        _names = model.Tasks.Select(t => t.Name).ToArray();
        _mask = model.MaskMatrix(dataset.Source.Values);
        _home = model.Tasks
            .Select(t => dataset.Source.Values.Select(v => t.Sources.Contains(v)).ToArray())
            .ToArray();
        _scopes = model.Tasks.Select(t => t.Scope).ToArray();
        _adaptive = model.AdaptiveMasking;
        _keepNegatives = model.Tasks.Select(t => t.KeepNegatives).ToArray();
        _seed = (ulong)model.Training.Seed;
    }

    public int Count => _labels.Length;

    /// <summary>Task <paramref name="k"/>'s name, for messages.</summary>
    public string Name(int k) => _names[k];

    /// <summary>
    /// Fills y and w ([rows, tasks], row-major) for the given rows of a split. A task with keep_negatives r &lt; 1
    /// gives weight 0 to each negative row it drops: row r of the split is kept for task k when a hash of
    /// (seed, k, r) falls below r, so the kept negatives are the same at every epoch of a run.
    /// </summary>
    public (float[] Y, float[] W) Build(EncodedSplit split, ReadOnlySpan<int> rows)
    {
        int t = _labels.Length;
        var y = new float[rows.Length * t];
        var w = new float[rows.Length * t];
        for (int k = 0; k < t; k++)
        {
            var labels = split.Labels[_labels[k]];
            var only = _adaptive && !_scopes[k].IsAll ? _scopes[k] : null;
            for (int i = 0; i < rows.Length; i++)
            {
                int r = rows[i];
                var v = labels[r];
                if (float.IsNaN(v)) continue;
                if (only is not null && !only.Admits(split.AnalysisText, r)) continue;
                if (v < 0.5f && _keepNegatives[k] < 1 && Uniform(_seed, k, r) >= _keepNegatives[k]) continue;
                y[i * t + k] = v;
                w[i * t + k] = _mask[split.Source[r], k];
            }
        }
        return (y, w);
    }

    /// <summary>A uniform number in [0, 1) fixed by (seed, task, row): SplitMix64's finaliser over the three.</summary>
    internal static double Uniform(ulong seed, int task, int row)
    {
        ulong z = seed * 0x9E3779B97F4A7C15UL + ((ulong)task << 40) + (ulong)row + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Rows on which task k is evaluated: label known, and the row's source and scope are ones the task is about.</summary>
    public bool[] EvaluatedRows(EncodedSplit split, int k)
    {
        var labels = split.Labels[_labels[k]];
        var home = _home[k];
        var scope = _scopes[k];
        var keep = new bool[split.Count];
        for (int i = 0; i < split.Count; i++)
            keep[i] = !float.IsNaN(labels[i]) && home[split.Source[i]] && (scope.IsAll || scope.Admits(split.AnalysisText, i));
        return keep;
    }
}

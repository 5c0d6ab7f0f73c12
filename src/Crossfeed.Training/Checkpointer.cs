using System.Text.Json;
using Crossfeed.Core;
using Crossfeed.Nn;
using static TorchSharp.torch;

namespace Crossfeed.Training;

/// <summary>
/// Atomic checkpoints: tensors go to a new numbered file, then checkpoint.json (written to a temporary
/// name and renamed) points at it, so a crash at any moment leaves the previous checkpoint usable.
/// </summary>
public sealed class Checkpointer(string dir)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private string StatePath => Path.Combine(dir, "checkpoint.json");
    private string BestPath => Path.Combine(dir, "best.bin");

    public bool Exists => File.Exists(StatePath);
    public bool HasBest => File.Exists(BestPath);

    private sealed record Saved(string Tensors, RunState State);

    public void Save(MultiTaskModel net, DenseAdam dense, LazyAdam lazy, LossBalancer balance, RunState state)
    {
        Directory.CreateDirectory(dir);
        var name = $"step-{state.Step:D9}.bin";
        TensorFile.Save(Path.Combine(dir, name), AllTensors(net, dense, lazy, balance));
        AtomicFile.WriteAllText(StatePath, JsonSerializer.Serialize(new Saved(name, state), Json));
        foreach (var old in Directory.GetFiles(dir, "step-*.bin"))
            if (Path.GetFileName(old) != name) File.Delete(old);
    }

    public RunState Restore(MultiTaskModel net, DenseAdam dense, LazyAdam lazy, LossBalancer balance)
    {
        var saved = JsonSerializer.Deserialize<Saved>(File.ReadAllText(StatePath), Json)
                    ?? throw new InvalidDataException($"{StatePath}: empty checkpoint");
        TensorFile.CopyInto(Path.Combine(dir, saved.Tensors), AllTensors(net, dense, lazy, balance));
        if (HasBest) saved.State.BestInMemory = TensorFile.Load(BestPath);
        return saved.State;
    }

    public void SaveBest(MultiTaskModel net)
    {
        Directory.CreateDirectory(dir);
        TensorFile.Save(BestPath, ModelTensors(net));
    }

    public void LoadBest(MultiTaskModel net) => TensorFile.CopyInto(BestPath, ModelTensors(net));

    public static IEnumerable<(string, Tensor)> ModelTensors(MultiTaskModel net) =>
        net.state_dict().Select(kv => (kv.Key, kv.Value));

    private static IEnumerable<(string, Tensor)> AllTensors(MultiTaskModel net, DenseAdam dense, LazyAdam lazy, LossBalancer balance) =>
        ModelTensors(net).Concat(dense.State()).Concat(lazy.State())
            .Concat(balance.Parameters().Select(p => (p.Name, (Tensor)p.P))).Concat(balance.State());
}

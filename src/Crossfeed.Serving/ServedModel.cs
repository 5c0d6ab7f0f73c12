using Crossfeed.Core;
using Crossfeed.Training;

namespace Crossfeed.Serving;

/// <summary>
/// A model the service answers with: its ranker, name, version (SHA-256 of the bundle's manifest.json),
/// sources and task names in the model's order. Owns the ranker and the network behind it.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly IDisposable? _owned;

    public ServedModel(IRanker ranker, string name, string version, IReadOnlyList<string> sources, IReadOnlyList<string> tasks, IDisposable? owned = null)
    {
        Ranker = ranker;
        Name = name;
        Version = version;
        Sources = sources;
        Tasks = tasks;
        _owned = owned;
    }

    public IRanker Ranker { get; }
    public string Name { get; }
    public string Version { get; }
    public IReadOnlyList<string> Sources { get; }
    public IReadOnlyList<string> Tasks { get; }

    /// <summary>Loads and verifies a bundle (checksums, schema, weight shapes) and builds its ranker.</summary>
    public static ServedModel LoadBundle(string dir, Func<TrainedModel, IRanker> rankerFactory)
    {
        var manifest = Path.Combine(Path.GetFullPath(dir), "manifest.json");
        if (!File.Exists(manifest)) throw new BadInputException($"{Path.GetFullPath(dir)}: not a model bundle (manifest.json is missing)");
        var version = Bundle.Sha256(manifest);
        var trained = Bundle.Load(dir);
        try
        {
            // A bundle replaced while it was read would pair one manifest's version with another's weights.
            if (Bundle.Sha256(manifest) != version) throw new BadInputException($"{manifest}: the bundle changed while it was loaded");
            return new ServedModel(rankerFactory(trained), trained.Model.Name, version, trained.Dataset.Source.Values,
                                   trained.Model.Tasks.Select(t => t.Name).ToArray(), trained);
        }
        catch
        {
            trained.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        (Ranker as IDisposable)?.Dispose();
        _owned?.Dispose();
    }
}

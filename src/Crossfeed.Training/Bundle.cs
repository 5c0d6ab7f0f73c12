using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Nn;

namespace Crossfeed.Training;

/// <summary>
/// A trained model on disk: weights.bin, preprocessor.json (vocabularies, normalisation), the dataset
/// and model YAML it was trained with, and manifest.json (format version, tasks, masks, calibration,
/// history, SHA-256 of every file). Written to a temporary folder and renamed into place; loading
/// verifies every checksum and the schema before anything is used.
/// </summary>
public static class Bundle
{
    public const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private static readonly string[] Payload = ["weights.bin", "preprocessor.json", "dataset.yaml", "model.yaml"];

    /// <summary>Writes the model with its preprocessor, configs and temperatures ("none" when every temperature is 1).</summary>
    public static void Save(string dir, TrainedModel trained)
    {
        var (dataset, model, preprocessor) = (trained.Dataset, trained.Model, trained.Preprocessor);
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            TensorFile.Save(Path.Combine(tmp, "weights.bin"), Checkpointer.ModelTensors(trained.Network));
            File.WriteAllText(Path.Combine(tmp, "preprocessor.json"), preprocessor.ToJson());
            File.Copy(dataset.ConfigPath, Path.Combine(tmp, "dataset.yaml"));
            File.Copy(model.ConfigPath, Path.Combine(tmp, "model.yaml"));

            var manifest = new JsonObject
            {
                ["format_version"] = FormatVersion,
                ["name"] = model.Name,
                ["created_utc"] = DateTime.UtcNow.ToString("O"),
                ["dataset_dir"] = Path.GetDirectoryName(dataset.ConfigPath),
                ["architecture"] = model.Architecture.ToString(),
                ["tasks"] = new JsonArray(model.Tasks.Select(t => (JsonNode)new JsonObject
                {
                    ["name"] = t.Name,
                    ["label"] = t.Label,
                    ["sources"] = new JsonArray(t.Sources.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                    ["scope"] = JsonSerializer.SerializeToNode(t.Scope.Values),
                }).ToArray()),
                ["masks"] = JsonSerializer.SerializeToNode(ToRows(model.MaskMatrix(dataset.Source.Values), dataset.Source.Values, model)),
                ["calibration"] = new JsonObject
                {
                    ["method"] = trained.Temperatures.All(t => t == 1f) ? "none" : "temperature",
                    ["temperatures"] = new JsonArray(trained.Temperatures.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                },
                ["tables"] = JsonSerializer.SerializeToNode(trained.Layout.Tables),
                ["training"] = new JsonObject
                {
                    ["best_epoch"] = trained.History.BestEpoch,
                    ["history"] = JsonSerializer.SerializeToNode(trained.History.Epochs),
                },
                ["files"] = new JsonObject(Payload.Select(f =>
                    new KeyValuePair<string, JsonNode?>(f, Sha256(Path.Combine(tmp, f))))),
            };
            File.WriteAllText(Path.Combine(tmp, "manifest.json"), manifest.ToJsonString(Json));
        });
    }

    private static Dictionary<string, Dictionary<string, float>> ToRows(float[,] m, IReadOnlyList<string> sources, ModelConfig model)
    {
        var rows = new Dictionary<string, Dictionary<string, float>>();
        for (int s = 0; s < sources.Count; s++)
        {
            rows[sources[s]] = new Dictionary<string, float>();
            for (int t = 0; t < model.Tasks.Count; t++) rows[sources[s]][model.Tasks[t].Name] = m[s, t];
        }
        return rows;
    }

    /// <summary>Loads and verifies a bundle; the model applies the manifest's temperatures and knows its <see cref="TrainedModel.Directory"/>.</summary>
    public static TrainedModel Load(string dir)
    {
        var full = Path.GetFullPath(dir);
        var manifestPath = Path.Combine(full, "manifest.json");
        if (!File.Exists(manifestPath)) throw new BadInputException($"{full}: not a model bundle (manifest.json is missing)");
        JsonObject manifest;
        try
        {
            manifest = JsonNode.Parse(File.ReadAllText(manifestPath))?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new BadInputException($"{manifestPath}: unreadable manifest: {e.Message}");
        }
        var version = manifest["format_version"]?.GetValue<int>() ?? 0;
        if (version != FormatVersion)
            throw new BadInputException($"{manifestPath}: format_version {version} is not supported (expected {FormatVersion})");
        var files = manifest["files"]?.AsObject() ?? throw new BadInputException($"{manifestPath}: files is missing");
        foreach (var f in Payload)
        {
            var path = Path.Combine(full, f);
            if (!File.Exists(path)) throw new BadInputException($"{full}: {f} is missing");
            var expected = files[f]?.GetValue<string>();
            if (expected != Sha256(path))
                throw new BadInputException($"{path}: checksum does not match the manifest (corrupted or edited bundle)");
        }

        var datasetDir = manifest["dataset_dir"]?.GetValue<string>() ?? full;
        var dataset = DatasetConfigLoader.Parse(File.ReadAllText(Path.Combine(full, "dataset.yaml")), Path.Combine(datasetDir, "dataset.yaml"), datasetDir);
        var model = ModelConfigLoader.Parse(File.ReadAllText(Path.Combine(full, "model.yaml")), Path.Combine(full, "model.yaml"), dataset);
        var preprocessorPath = Path.Combine(full, "preprocessor.json");
        var preprocessor = Preprocessor.FromJson(File.ReadAllText(preprocessorPath), preprocessorPath);
        preprocessor.CheckCompatible(dataset);
        var layout = FeatureLayout.Build(dataset, model, preprocessor.TableRows);
        var temps = manifest["calibration"]?["temperatures"]?.AsArray().Select(v => v!.GetValue<float>()).ToArray()
                    ?? model.Tasks.Select(_ => 1f).ToArray();
        if (temps.Length != model.Tasks.Count) throw new BadInputException($"{manifestPath}: calibration has {temps.Length} temperatures for {model.Tasks.Count} tasks");
        if (temps.Any(t => !float.IsFinite(t) || t <= 0)) throw new BadInputException($"{manifestPath}: calibration temperatures must be finite and positive");
        var history = ReadHistory(manifest, manifestPath);
        var net = new MultiTaskModel(layout, model);
        try
        {
            TensorFile.CopyInto(Path.Combine(full, "weights.bin"), Checkpointer.ModelTensors(net));
        }
        catch (InvalidDataException e)
        {
            net.Dispose();
            throw new BadInputException($"{full}: weights do not match the model's schema: {e.Message}");
        }
        net.eval();
        return new TrainedModel(net, layout, preprocessor, dataset, model, history, temps, full);
    }

    private static TrainingHistory ReadHistory(JsonObject manifest, string manifestPath)
    {
        try
        {
            var training = manifest["training"];
            var epochs = training?["history"]?.Deserialize<List<EpochRecord>>() ?? [];
            return new TrainingHistory(epochs, training?["best_epoch"]?.GetValue<int>() ?? 0, completed: true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new BadInputException($"{manifestPath}: unreadable training history: {e.Message}");
        }
    }

    /// <summary>Rewrites the calibration block (and the manifest's checksums stay valid: only manifest.json changes).</summary>
    public static void WriteCalibration(string dir, float[] temperatures, JsonObject? report = null)
    {
        var path = Path.Combine(Path.GetFullPath(dir), "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest["calibration"] = new JsonObject
        {
            ["method"] = "temperature",
            ["temperatures"] = new JsonArray(temperatures.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
            ["report"] = report,
        };
        AtomicFile.WriteAllText(path, manifest.ToJsonString(Json));
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

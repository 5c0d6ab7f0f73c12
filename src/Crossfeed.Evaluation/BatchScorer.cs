using Crossfeed.Core;
using Crossfeed.Data;
using Crossfeed.Training;
using ParquetSharp;

namespace Crossfeed.Evaluation;

/// <summary>
/// Streams a file through a bundle and writes a Parquet file with the dataset's key columns, the
/// source, and one calibrated probability column per task (named after the task), in input order.
/// Written to a temporary name and renamed.
/// </summary>
public static class BatchScorer
{
    public const int DefaultBatchRows = 65_536;

    public static long Score(TrainedModel bundle, string input, string output, IProgress<long>? progress = null,
                             CancellationToken ct = default, int batchRows = DefaultBatchRows)
    {
        var dataset = bundle.Dataset;
        var tasks = bundle.Model.Tasks.Select(t => t.Name).ToArray();
        var keys = dataset.Keys.ToArray();
        var clash = keys.FirstOrDefault(k => tasks.Contains(k) || k == "source");
        if (clash is not null)
            throw new BadInputException($"{dataset.ConfigPath}: keys: key column '{clash}' has the name of a task or of 'source'; rename it in the dataset YAML");
        var columns = keys.Select(k => (Column)new Column<string>(k))
            .Append(new Column<string>("source"))
            .Concat(tasks.Select(t => (Column)new Column<float>(t)))
            .ToArray();

        long rows = 0;
        AtomicFile.Write(output, tmp =>
        {
            using var writer = new ParquetFileWriter(tmp, columns, Compression.Snappy);
            foreach (var batch in DatasetLoader.EncodeBatches(dataset, bundle.Preprocessor, input, batchRows, ct: ct))
            {
                ct.ThrowIfCancellationRequested();
                if (batch.Count == 0) continue;
                var probs = bundle.Predict(batch);
                using var group = writer.AppendRowGroup();
                foreach (var k in keys)
                {
                    using var w = group.NextColumn().LogicalWriter<string?>();
                    w.WriteBatch(batch.Keys[k]);
                }
                using (var w = group.NextColumn().LogicalWriter<string?>())
                    w.WriteBatch(batch.Source.Select(s => (string?)dataset.Source.Values[s]).ToArray());
                foreach (var p in probs)
                {
                    using var w = group.NextColumn().LogicalWriter<float>();
                    w.WriteBatch(p);
                }
                rows += batch.Count;
                progress?.Report(rows);
            }
            writer.Close();
        });
        return rows;
    }
}

using System.CommandLine;
using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Cli.Commands;

public static class InitCommand
{
    public static Command Create(CliContext ctx)
    {
        var from = new Option<FileInfo>("--from") { Description = "The data file to describe (CSV with a header, TSV or Parquet).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Dataset YAML to write; paths in it are relative to its folder.", Required = true };
        var labels = new Option<string>("--labels")
        {
            Description = "Labels, comma-separated: [name:]column (0/1) or [name:]column=value (1 where the text equals value), e.g. income:class=>50K.",
            Required = true,
        };
        var source = new Option<string?>("--source") { Description = "The channel column (default: every row is source 'all')." };
        var split = new Option<string?>("--split") { Description = "Split by this numeric or timestamp column, 80/10/10 of its sorted values (default: a timestamp column, else row order)." };
        var test = new Option<FileInfo?>("--test") { Description = "A separate test file with the same columns; the last 10% of --from's rows become validation." };
        var bins = new Option<int>("--bins") { Description = "Quantile buckets for quantile_bins and piecewise_linear numerics.", DefaultValueFactory = _ => FeatureSpec.DefaultBins };
        var cmd = new Command("init", "Propose a dataset YAML for a data file: roles, kinds and numeric encodings from its statistics.")
        {
            from, output, labels, source, split, test, bins,
        };
        cmd.SetAction(CliApp.Guarded(ctx, pr =>
        {
            var request = new DatasetInitRequest(
                pr.GetValue(from)!.FullName, pr.GetValue(output)!.FullName, InitLabel.ParseList(pr.GetValue(labels)),
                pr.GetValue(source), pr.GetValue(split), pr.GetValue(test)?.FullName, Bins: pr.GetValue(bins));
            if (request.Bins is < 2 or > 1024) throw new BadInputException($"--bins: must be between 2 and 1024, got {request.Bins}");
            var proposal = DatasetInit.Propose(request);
            AtomicFile.WriteAllText(request.Out, proposal.Yaml);
            foreach (var d in proposal.Decisions) ctx.Out.WriteLine(d);
            ctx.Out.WriteLine($"wrote {request.Out}");
        }));
        return cmd;
    }
}

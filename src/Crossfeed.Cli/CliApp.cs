using System.CommandLine;
using Crossfeed.Cli.Commands;
using Crossfeed.Core;

namespace Crossfeed.Cli;

/// <summary>The command line: wiring only; the work lives in the libraries.</summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var ctx = new CliContext(stdout, stderr);
        var root = new RootCommand("Crossfeed: target podcast ads and promotions with one multi-task model.");
        root.Add(InitCommand.Create(ctx));
        root.Add(SimulateCommand.Create(ctx));
        root.Add(PrepareCommand.Create(ctx));
        root.Add(DemoCommand.Create(ctx));
        root.Add(TrainCommand.Create(ctx));
        root.Add(FinetuneCommand.Create(ctx));
        root.Add(EvaluateCommands.Evaluate(ctx));
        root.Add(EvaluateCommands.Calibrate(ctx));
        root.Add(EvaluateCommands.Score(ctx));
        root.Add(ExperimentCommand.Create(ctx));
        root.Add(BenchCommand.Create(ctx));
        root.Add(FeaturesCommand.Create(ctx));
        root.Add(ServeCommand.Create(ctx));
        root.Add(AbTestCommand.Create(ctx));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) stderr.WriteLine($"crossfeed: {e.Message}");
            stderr.WriteLine("crossfeed: see 'crossfeed --help'");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ReportError(e, stderr);
        }
    }

    /// <summary>A command action that runs <paramref name="run"/> and turns any exception into its exit code.</summary>
    public static Func<ParseResult, int> Guarded(CliContext ctx, Action<ParseResult> run) => pr =>
    {
        try
        {
            run(pr);
            return ExitCodes.Ok;
        }
        catch (Exception e)
        {
            return ReportError(e, ctx.Err);
        }
    };

    /// <summary>Maps an exception to an exit code with one clear line (bad input) or a trace (internal error).</summary>
    public static int ReportError(Exception e, TextWriter stderr)
    {
        switch (e)
        {
            case BadInputException bad:
                stderr.WriteLine($"crossfeed: {bad.Message}");
                return ExitCodes.BadInput;
            case ArgumentException arg:
                stderr.WriteLine($"crossfeed: {arg.Message}");
                return ExitCodes.BadInput;
            case RunFailedException failed:
                stderr.WriteLine($"crossfeed: {failed.Message}");
                return ExitCodes.InternalError;
            case OperationCanceledException:
                stderr.WriteLine("crossfeed: cancelled");
                return ExitCodes.Cancelled;
            // The machine, not the code: a full disk, a missing permission, a vanished file. One line, no trace.
            case IOException io:
                stderr.WriteLine($"crossfeed: cannot read or write a file: {io.Message}");
                return ExitCodes.InternalError;
            case ParquetSharp.ParquetException parquet when parquet.Message.Contains("IOError: ", StringComparison.Ordinal):
                var detail = parquet.Message[(parquet.Message.IndexOf("IOError: ", StringComparison.Ordinal) + "IOError: ".Length)..].TrimEnd(')', '\'');
                stderr.WriteLine($"crossfeed: cannot read or write a Parquet file: {detail}");
                return ExitCodes.InternalError;
            default:
                stderr.WriteLine($"crossfeed: internal error: {e.Message}");
                stderr.WriteLine(e.ToString());
                return ExitCodes.InternalError;
        }
    }
}

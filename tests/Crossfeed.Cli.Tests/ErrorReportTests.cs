namespace Crossfeed.Cli.Tests;

/// <summary>How a failure reaches the user: one line and an exit code; a trace only for what is a bug.</summary>
public class ErrorReportTests
{
    [Fact]
    public void A_full_disk_under_a_parquet_writer_is_one_line_naming_the_cause_without_a_trace()
    {
        // The exception ParquetSharp threw when simulate filled the disk (2026-12-01).
        var full = new ParquetSharp.ParquetException("N7parquet22ParquetStatusExceptionE",
            "IOError: Error writing bytes to file. Detail: [errno 28] No space left on device");
        var err = new StringWriter();
        Assert.Equal(1, CliApp.ReportError(full, err));
        Assert.Equal("crossfeed: cannot read or write a Parquet file: Error writing bytes to file. Detail: [errno 28] No space left on device",
            err.ToString().TrimEnd());
    }

    [Fact]
    public void An_io_failure_is_one_line_and_a_bug_keeps_its_trace()
    {
        var err = new StringWriter();
        Assert.Equal(1, CliApp.ReportError(new IOException("/data/x.parquet: permission denied"), err));
        Assert.Equal("crossfeed: cannot read or write a file: /data/x.parquet: permission denied", err.ToString().TrimEnd());

        err = new StringWriter();
        Assert.Equal(1, CliApp.ReportError(new InvalidOperationException("a bug"), err));
        Assert.StartsWith("crossfeed: internal error: a bug", err.ToString(), StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", err.ToString(), StringComparison.Ordinal);
    }
}

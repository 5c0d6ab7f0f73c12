using System.Diagnostics;
using Crossfeed.Core;

namespace Crossfeed.Performance;

/// <summary>Runs this program's own CLI as a child process and reports its wall time and peak resident memory (VmHWM, polled every 100 ms while it runs).</summary>
public static class ChildRun
{
    public sealed record Result(double Seconds, long PeakBytes, string Output);

    public static Result Crossfeed(TextWriter log, params string[] args)
    {
        var dll = System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new InvalidOperationException("no entry assembly");
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        log.WriteLine($"  $ crossfeed {string.Join(' ', args)}");
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start crossfeed");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        long peak = 0;
        var status = $"/proc/{p.Id}/status";
        while (!p.WaitForExit(100)) peak = Math.Max(peak, PeakOf(status));
        var seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
            throw new RunFailedException($"crossfeed {string.Join(' ', args)} exited with {p.ExitCode}: {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        return new Result(seconds, peak, stdout.Result);
    }

    /// <summary>VmHWM of a /proc status file in bytes (0 when it is gone).</summary>
    private static long PeakOf(string statusPath)
    {
        try
        {
            foreach (var line in File.ReadLines(statusPath))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }
}

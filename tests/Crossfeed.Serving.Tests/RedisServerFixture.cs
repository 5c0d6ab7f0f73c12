using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Crossfeed.Serving.Tests;

/// <summary>
/// A private redis-server on a free loopback port, with a temporary folder and no persistence, started for a
/// test class and killed after it. A missing redis-server fails the tests (never skips them): .ci/run installs it.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly Process _server;

    public RedisServerFixture()
    {
        var exe = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed; the Redis feature-store tests need it: apt-get update && apt-get install -y redis-server");
        Dir = Path.Combine(Path.GetTempPath(), $"crossfeed-redis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Dir);
        Port = FreePort();
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Dir };
        foreach (var a in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", Dir, "--save", "", "--appendonly", "no", "--daemonize", "no" })
            start.ArgumentList.Add(a);
        _server = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }
    public string Dir { get; }

    /// <summary>A redis:// address with a prefix of its own, so tests sharing the server do not see each other's keys.</summary>
    public string Address(string prefix) => $"redis://127.0.0.1:{Port}/{prefix}-{Guid.NewGuid():N}";

    /// <summary>A loopback port nothing listens on (for unreachable-server tests).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_server.HasExited) throw new InvalidOperationException($"redis-server exited with code {_server.ExitCode} on port {Port}");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"redis-server did not listen on port {Port} within 10 s");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"])
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        try
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _server.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

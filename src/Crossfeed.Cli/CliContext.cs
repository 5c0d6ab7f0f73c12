using Spectre.Console;

namespace Crossfeed.Cli;

/// <summary>Where a command writes: plain writers for tests and pipes, a Spectre console for tables.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Err = stderr;
        IsTerminal = ReferenceEquals(stdout, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!IsTerminal) Console.Profile.Width = 120;
    }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public IAnsiConsole Console { get; }

    /// <summary>True when a person is watching: live progress bars; otherwise plain periodic lines.</summary>
    public bool IsTerminal { get; }

    /// <summary>Ctrl+C cancels the running work cleanly (outputs are written atomically, so nothing half-written remains).</summary>
    public CancellationToken Cancellation { get; } = CancelOnCtrlC();

    private static CancellationToken CancelOnCtrlC()
    {
        var cts = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return cts.Token;
    }

    /// <summary>
    /// Runs work with a progress display: a live bar (with the latest description and the ETA) on a
    /// terminal; otherwise a plain line every 10 seconds with the fraction, the description and the ETA.
    /// </summary>
    public T WithProgress<T>(string label, Func<ILiveProgress, T> work)
    {
        if (IsTerminal)
        {
            T result = default!;
            Console.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(p =>
                {
                    var task = p.AddTask(Markup.Escape(label), maxValue: 1.0);
                    result = work(new LiveBar(task, label));
                    task.Value = 1.0;
                });
            return result;
        }
        var reporter = new PlainProgress(Err, label);
        var value = work(reporter);
        reporter.Done();
        return value;
    }

    private sealed class LiveBar(ProgressTask task, string label) : ILiveProgress
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);

        public void Describe(string text) => task.Description = Markup.Escape($"{label}: {text}");
    }

    /// <summary>Runs work whose length is unknown up front; it reports a status text (a spinner on a terminal, a line every few seconds otherwise).</summary>
    public T WithStatus<T>(string label, Func<IProgress<string>, T> work)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (IsTerminal)
        {
            T result = default!;
            Console.Status().Start(label, status =>
            {
                result = work(new Progress<string>(text => status.Status($"{label}: {text} ({clock.Elapsed.TotalSeconds:F0} s)")));
            });
            Err.WriteLine($"{label}: done in {clock.Elapsed.TotalSeconds:F1} s");
            return result;
        }
        var last = -10.0;
        var gate = new object();
        var value = work(new Progress<string>(text =>
        {
            lock (gate)
            {
                if (clock.Elapsed.TotalSeconds - last < 5) return;
                last = clock.Elapsed.TotalSeconds;
                Err.WriteLine($"{label}: {text} ({last:F0} s)");
            }
        }));
        Err.WriteLine($"{label}: done in {clock.Elapsed.TotalSeconds:F1} s");
        return value;
    }

    private sealed class PlainProgress(TextWriter writer, string label) : ILiveProgress
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly object _gate = new();
        private double _lastPrinted = -10;
        private string _description = "";

        public void Report(double value)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed.TotalSeconds;
                if (now - _lastPrinted < 10) return;
                _lastPrinted = now;
                var eta = value > 0.01 ? $", about {now / value - now:F0} s left" : "";
                var text = _description.Length > 0 ? $" {_description}" : "";
                writer.WriteLine($"{label}: {value:P0} ({now:F0} s{eta}){text}");
            }
        }

        public void Describe(string text)
        {
            lock (_gate) _description = text;
        }

        public void Done() => writer.WriteLine($"{label}: done in {_clock.Elapsed.TotalSeconds:F1} s");
    }
}

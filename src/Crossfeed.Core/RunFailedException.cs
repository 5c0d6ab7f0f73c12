namespace Crossfeed.Core;

/// <summary>
/// A run that cannot go on for a reason that is neither bad input nor a bug (training diverged). Hosts
/// map it to exit code 1 with its one-line message and no stack trace.
/// </summary>
public sealed class RunFailedException(string message) : Exception(message);

namespace Crossfeed.Cli;

/// <summary>Exit codes: 0 success, 1 internal error, 2 bad input or usage, 130 cancelled.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int InternalError = 1;
    public const int BadInput = 2;
    public const int Cancelled = 130;
}

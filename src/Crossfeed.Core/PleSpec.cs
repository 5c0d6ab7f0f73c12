namespace Crossfeed.Core;

/// <summary>
/// PLE: <see cref="Levels"/> extraction levels, each with <see cref="SharedExperts"/> shared experts and
/// <see cref="TaskExperts"/> experts per task, every task's gate mixing its own and the shared ones.
/// </summary>
public sealed record PleSpec
{
    public PleSpec(int sharedExperts, int taskExperts, int levels, ExpertSpec expert)
    {
        SharedExperts = sharedExperts;
        TaskExperts = taskExperts;
        Levels = levels;
        Expert = expert;
    }

    public int SharedExperts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(SharedExperts), value, "at least one shared expert");
    }

    /// <summary>1 to 64.</summary>
    public int TaskExperts
    {
        get;
        init => field = value is >= 1 and <= 64 ? value : throw new ArgumentOutOfRangeException(nameof(TaskExperts), value, "must be 1 to 64");
    }

    /// <summary>1 to 8.</summary>
    public int Levels
    {
        get;
        init => field = value is >= 1 and <= 8 ? value : throw new ArgumentOutOfRangeException(nameof(Levels), value, "must be 1 to 8");
    }

    public ExpertSpec Expert
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Expert));
    }
}

namespace Crossfeed.Data;

/// <summary>Progress of a load: the phase, the file (or query) being read, and rows read from it so far.</summary>
public readonly record struct LoadProgress(LoadPhase Phase, string Input, long Rows);

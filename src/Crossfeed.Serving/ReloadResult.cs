namespace Crossfeed.Serving;

/// <summary>The outcome of a reload: whether the new bundle was accepted, the model now serving and, if refused, why.</summary>
public sealed record ReloadResult(bool Accepted, string? ModelName, string? ModelVersion, string? Error);

namespace Crossfeed.Serving;

/// <summary>The body of /healthz and /readyz: alive or ready, and the model and feature store being served.</summary>
public sealed record ServiceStatus(string Status, string? ModelName, string? ModelVersion, string? Features);

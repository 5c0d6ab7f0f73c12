namespace Crossfeed.Data;

/// <summary>A column the config names, what for (for messages: "features[2]", "labels.click"), and whether it may be absent (scoring files have no labels).</summary>
internal sealed record ColumnRole(string Column, RoleKind Kind, string What, bool Optional = false);

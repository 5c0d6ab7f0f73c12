namespace Crossfeed.Data;

/// <summary>
/// What <see cref="FeatureSnapshot.Write"/> keeps: rows at or before <paramref name="AsOf"/> (in the time
/// column's units: Unix seconds for DATE/TIMESTAMP columns, the column's own numbers otherwise; null: every
/// row), and the columns that identify users, shows and creatives.
/// </summary>
public sealed record SnapshotOptions(double? AsOf = null, string UserKey = "user_id", string ShowKey = "show_id", string CreativeKey = "creative_id");

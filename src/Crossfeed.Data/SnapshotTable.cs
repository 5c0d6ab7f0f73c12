using Crossfeed.Core;

namespace Crossfeed.Data;

/// <summary>
/// One entity kind of a feature snapshot: the feature group it holds (user, content = shows, creative),
/// its key column and every column of its Parquet file (the key first, then the group's feature columns
/// as the log holds them), and how many entities it has.
/// </summary>
public sealed record SnapshotTable(FeatureGroup Group, string KeyColumn, IReadOnlyList<string> Columns, long Rows)
{
    /// <summary>The entity's name in files, JSON and Redis keys: user, show or creative.</summary>
    public string Entity => EntityOf(Group);

    /// <summary>users.parquet, shows.parquet or creatives.parquet.</summary>
    public string File => Entity + "s.parquet";

    /// <summary>The groups a snapshot holds, in file order.</summary>
    public static IReadOnlyList<FeatureGroup> Groups { get; } = [FeatureGroup.User, FeatureGroup.Content, FeatureGroup.Creative];

    public static string EntityOf(FeatureGroup group) => group switch
    {
        FeatureGroup.User => "user",
        FeatureGroup.Content => "show",
        FeatureGroup.Creative => "creative",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "context features describe a request, not an entity"),
    };
}

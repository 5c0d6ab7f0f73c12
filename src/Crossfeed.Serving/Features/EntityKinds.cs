using Crossfeed.Core;
using Crossfeed.Data;

namespace Crossfeed.Serving.Features;

/// <summary>Maps an entity kind to the feature group a snapshot stores it under, and to its name in keys and messages.</summary>
internal static class EntityKinds
{
    public static IReadOnlyList<EntityKind> All { get; } = [EntityKind.User, EntityKind.Show, EntityKind.Creative];

    public static FeatureGroup Group(EntityKind kind) => kind switch
    {
        EntityKind.User => FeatureGroup.User,
        EntityKind.Show => FeatureGroup.Content,
        EntityKind.Creative => FeatureGroup.Creative,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>user, show or creative.</summary>
    public static string Name(EntityKind kind) => SnapshotTable.EntityOf(Group(kind));
}

namespace Crossfeed.Serving.Features;

/// <summary>What a feature store holds features of: users (user group), shows (content group) and creatives (creative group).</summary>
public enum EntityKind { User, Show, Creative }

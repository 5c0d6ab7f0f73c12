namespace Crossfeed.Core;

public enum FeatureGroup { User, Content, Context, Creative }

namespace Crossfeed.Core;

public enum ExpertKind { Mlp, Dcn }

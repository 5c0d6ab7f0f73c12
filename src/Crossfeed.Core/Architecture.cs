namespace Crossfeed.Core;

public enum Architecture { SharedBottom, Mmoe, Ple, Camoe }

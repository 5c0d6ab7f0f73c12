namespace Crossfeed.Simulation;

/// <summary>Which world to simulate.</summary>
public enum Scenario
{
    /// <summary>The joint ads + promotions podcast world (WSDM 2026 paper).</summary>
    Podcast,

    /// <summary>CAMoE's world: seven audio/video ad slots over music and podcast content.</summary>
    Camoe,
}

namespace Crossfeed.Data;

/// <summary>The dataset YAML <c>crossfeed init</c> proposes and one line per decision (what and why).</summary>
public sealed record DatasetProposal(string Yaml, IReadOnlyList<string> Decisions);

namespace Crossfeed.Core;

/// <summary>
/// Columns used to slice results (never model inputs unless also listed as features). The text roles
/// (modality, slot, content type) can also scope a task to part of the rows (see <see cref="TaskScope"/>).
/// </summary>
public sealed record AnalysisSpec(string? Tier, string? Streams30d, string? Cost, string? Modality, string? Slot, string? ContentType = null,
                                  double LessStreamedBelow = AnalysisSpec.DefaultLessStreamedBelow)
{
    /// <summary>Shows with fewer 30-day streams than this form the less-streamed slice unless analysis.less_streamed_below says otherwise.</summary>
    public const double DefaultLessStreamedBelow = 5_000;

    public IEnumerable<string> Columns() =>
        new[] { Tier, Streams30d, Cost, Modality, Slot, ContentType }.Where(c => c is not null)!;

    /// <summary>The numeric roles that are set: (role, column).</summary>
    public IEnumerable<(string Role, string Column)> NumberRoles() =>
        Set(("tier", Tier), ("streams_30d", Streams30d), ("cost", Cost));

    /// <summary>The text roles that are set: (role, column); the roles are <see cref="TaskScope.Roles"/>.</summary>
    public IEnumerable<(string Role, string Column)> TextRoles() =>
        Set((TaskScope.Modality, Modality), (TaskScope.Slot, Slot), (TaskScope.ContentType, ContentType));

    /// <summary>The column of a text role, or null.</summary>
    public string? TextColumn(string role) => TextRoles().Where(r => r.Role == role).Select(r => r.Column).FirstOrDefault();

    private static IEnumerable<(string, string)> Set(params (string Role, string? Column)[] roles) =>
        roles.Where(r => r.Column is not null).Select(r => (r.Role, r.Column!));
}

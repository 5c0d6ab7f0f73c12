using Spectre.Console;

namespace Crossfeed.Cli;

public static class TableExtensions
{
    /// <summary>Adds a row of plain text (no Spectre markup: brackets in values are shown as they are).</summary>
    public static Table AddPlainRow(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
}

using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>A file of a pre-split dataset (<c>input.files</c>): every row belongs to the split the config names it under.</summary>
internal sealed class PreSplitReader(InputReader file, SplitName split) : InputReader(file.Display)
{
    public override string Relation => file.Relation;

    public override SplitName? Split => split;

    public override string? ParquetFile => file.ParquetFile;

    public override IReadOnlyList<string>? RawColumnNames(IReadOnlyList<string> reported) => file.RawColumnNames(reported);

    public override void CheckColumnCount(int columns) => file.CheckColumnCount(columns);

    public override BadInputException Explain(DuckDBException e) => file.Explain(e);
}

using Crossfeed.Core;
using DuckDB.NET.Data;

namespace Crossfeed.Data;

/// <summary>The dataset's <c>input.query</c>: a DuckDB SQL query over files (derived labels, joins, filters).</summary>
internal sealed class QueryReader(string query, string configPath) : InputReader($"input.query of {configPath}")
{
    public override string Relation { get; } = $"({query})";

    public override BadInputException Explain(DuckDBException e) =>
        BadInputException.At(Display, null, null, $"the query failed: {Sql.Reason(e)}");
}

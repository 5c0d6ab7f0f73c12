namespace Crossfeed.Data;

/// <summary>How a column's cells are read, from the type DuckDB reports for it.</summary>
internal enum CellKind { Integer, UInt64, HugeInteger, Floating, Decimal, Boolean, Text, Date, Timestamp, List, Other }

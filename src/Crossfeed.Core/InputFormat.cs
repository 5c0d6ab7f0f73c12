namespace Crossfeed.Core;

public enum InputFormat { Auto, Parquet, Csv, Tsv }

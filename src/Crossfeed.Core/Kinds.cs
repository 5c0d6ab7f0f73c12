namespace Crossfeed.Core;

public enum FeatureGroup { User, Content, Context, Creative }

public enum FeatureKind { Categorical, CategoricalList, Numeric, Vector }

public enum Pooling { Mean, Sum }

public enum NumericTransform { None, Log1p }

/// <summary>How a numeric feature reaches the model (docs/data.md, "Numeric encodings").</summary>
public enum NumericEncoding { Standardize, QuantileBins, PiecewiseLinear }

public enum InputFormat { Auto, Parquet, Csv, Tsv }

public enum SplitName { Train, Val, Test }

public enum Architecture { SharedBottom, Mmoe, Ple, Camoe }

public enum ExpertKind { Mlp, Dcn }

public enum SamplingMode { Balanced, Natural }

public enum LossBalancing { Fixed, Uncertainty, GradNorm, PcGrad }

public enum LrSchedule { Constant, Cosine, Step }

public enum EmbeddingOptimizer { LazyAdam, DenseAdam }

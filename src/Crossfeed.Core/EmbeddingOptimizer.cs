namespace Crossfeed.Core;

public enum EmbeddingOptimizer { LazyAdam, DenseAdam }

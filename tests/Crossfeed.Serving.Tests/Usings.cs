global using Xunit;

// torch.manual_seed is process-wide: test classes that train run one after another so seeded runs stay reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

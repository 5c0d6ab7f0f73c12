using Crossfeed.Core;

namespace Crossfeed.AbTest;

/// <summary>The knobs of one simulated A/B test (docs/abtest.md). Validate before use: bad values are bad input (exit 2).</summary>
public sealed record AbTestOptions
{
    /// <summary>Test days: the world's last Days days (the models' validation and test days by default).</summary>
    public int Days { get; init; } = 14;

    /// <summary>Arriving user visits per day that each arm serves (each visit is one ad opportunity or one promotion slot).</summary>
    public int Traffic { get; init; } = 2_000;

    /// <summary>Independent replays (different arrivals and draws); intervals over seeds need at least 2.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>Seed of the first replay; replay k uses FirstSeed + k.</summary>
    public int FirstSeed { get; init; } = 1;

    /// <summary>Ad candidates the ad server retrieves per opportunity (running creatives of the slot's modality, a random subset).</summary>
    public int AdCandidates { get; init; } = 100;

    /// <summary>Promotion candidates per slot: half by platform popularity, half uniformly over live shows (new shows included).</summary>
    public int PromoCandidates { get; init; } = 100;

    /// <summary>Impressions of one campaign (ads) or one show (promotions) per user over the test, per arm.</summary>
    public int FrequencyCap { get; init; } = 3;

    /// <summary>A show's share of an arm's promotion slots per day, at most (the promotion caps).</summary>
    public double PromoShowDailyShare { get; init; } = 0.02;

    /// <summary>Campaign budgets relative to the world's (scaled to the test's traffic); below 1 makes budgets bind harder.</summary>
    public double BudgetScale { get; init; } = 1.0;

    /// <summary>User-level bootstrap resamples per replay for the intervals (0: none).</summary>
    public int Bootstrap { get; init; } = 200;

    /// <summary>Require intervals over seeds (and so at least two seeds).</summary>
    public bool SeedIntervals { get; init; }

    public void Validate()
    {
        if (Days < 1) throw new BadInputException($"--days must be at least 1 (got {Days})");
        if (Traffic < 1) throw new BadInputException($"--traffic must be at least 1 visit per day (got {Traffic})");
        if (Seeds < 1 || Seeds > 100) throw new BadInputException($"--seeds must lie in 1..100 (got {Seeds})");
        if (SeedIntervals && Seeds < 2) throw new BadInputException($"intervals over seeds need --seeds 2 or more (got {Seeds})");
        if (AdCandidates < 1 || PromoCandidates < 1) throw new BadInputException("--ad-candidates and --promo-candidates must be at least 1");
        if (FrequencyCap < 1) throw new BadInputException($"--frequency-cap must be at least 1 (got {FrequencyCap})");
        if (!(PromoShowDailyShare > 0 && PromoShowDailyShare <= 1)) throw new BadInputException($"the promotion cap share must lie in (0, 1] (got {PromoShowDailyShare})");
        if (!(BudgetScale > 0) || double.IsInfinity(BudgetScale)) throw new BadInputException($"--budget-scale must be positive (got {BudgetScale}): a test without budget shows no ads");
        if (Bootstrap < 0 || Bootstrap > 10_000) throw new BadInputException($"--bootstrap must lie in 0..10000 (got {Bootstrap})");
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Crossfeed.Evaluation.Reports;

namespace Crossfeed.Evaluation.Tests;

public sealed class ReportTests : IDisposable
{
    // An AP whose shortest round-trip form has 17 significant digits: the JSON must keep all of them.
    private const double ExactAp = 0.12345678901234568;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crossfeed-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static MetricSet Slice(long n, long positives, double? ap, double? oracle, string? note = null) =>
        new(n, positives, ap, ap is null ? null : 0.8, 0.3, 0.02, 0.025, oracle, null, null, note);

    private static EvaluationResult Sample()
    {
        var tasks = new Dictionary<string, MetricSet>
        {
            ["promo_stream"] = new(5000, 400, ExactAp, 0.81, 0.25, 0.012, 0.015, 0.2, 0.11, 0.135, null),
            ["ad_stream"] = new(3000, 0, null, null, 0.05, 0.003, 0.004, null, null, null, "no positives: AP and AUC undefined"),
        };
        var byTier = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
        {
            ["promo_stream"] = new Dictionary<string, MetricSet>
            {
                ["0"] = Slice(2000, 200, 0.15, 0.22),
                ["1"] = Slice(2000, 180, 0.11, 0.19),
                ["3"] = Slice(1000, 12, 0.05, 0.09, "only 12 positives: unreliable"),
            },
            ["ad_stream"] = new Dictionary<string, MetricSet> { ["0"] = Slice(3000, 0, null, null, "no positives: AP and AUC undefined") },
        };
        var bySource = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
        {
            ["promo"] = new Dictionary<string, MetricSet> { ["promo_stream"] = Slice(4000, 380, 0.13, 0.21) },
            ["ad"] = new Dictionary<string, MetricSet>
            {
                ["promo_stream"] = Slice(1000, 20, 0.04, 0.07),
                ["ad_stream"] = Slice(3000, 0, null, null, "no positives: AP and AUC undefined"),
            },
        };
        var less = new Dictionary<string, MetricSet> { ["promo_stream"] = Slice(800, 60, 0.09, 0.14) };
        var rest = new Dictionary<string, MetricSet> { ["promo_stream"] = Slice(4200, 340, 0.13, 0.21) };
        var byModality = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
        {
            ["promo_stream"] = new Dictionary<string, MetricSet> { ["audio"] = Slice(3000, 250, 0.12, 0.2), ["display"] = Slice(2000, 150, 0.1, 0.18) },
        };
        var bySlot = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
        {
            ["promo_stream"] = new Dictionary<string, MetricSet> { ["pre"] = Slice(2500, 220, 0.14, 0.2), ["mid"] = Slice(2500, 180, 0.1, 0.19) },
        };
        var curves = new Dictionary<string, TaskCurves>
        {
            ["promo_stream"] = new("promo_stream",
                [1.0, 0.5, 0.4, 0.3, 0.2, 0.08],
                [0.05, 0.2, 0.4, 0.6, 0.8, 1.0],
                [new(0.02, 0.03, 3000), new(0.1, 0.09, 1500), new(0.3, 0.25, 500)],
                [new(0.05, 0.03, 3000), new(0.2, 0.09, 1500), new(0.5, 0.25, 500)]),
            ["ad_stream"] = new("ad_stream", [], [], [], null),
        };
        return new EvaluationResult("joint-5task <v1>", "world-7", "test", true, ["promo_stream", "ad_stream"],
            tasks, byTier, bySource, less, rest, byModality, bySlot, curves,
            new Dictionary<string, double> { ["promo_stream"] = 0.041, ["ad_stream"] = double.NaN },
            ["ad_stream has no positives on this split"],
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricSet>>>
            {
                ["ad"] = new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
                {
                    ["promo_stream"] = new Dictionary<string, MetricSet> { ["2"] = Slice(600, 14, 0.031, 0.06, "only 14 positives: unreliable") },
                },
            },
            new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>
            {
                ["promo_stream"] = new Dictionary<string, MetricSet> { ["music"] = Slice(1200, 90, 0.11, 0.2), ["podcast"] = Slice(3800, 310, 0.13, 0.19) },
            });
    }

    private static EvaluationResult Empty() =>
        new("m", "d", "test", false, ["click"],
            new Dictionary<string, MetricSet>(),
            new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>(),
            new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>(),
            new Dictionary<string, MetricSet>(),
            new Dictionary<string, MetricSet>(),
            new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>(),
            new Dictionary<string, IReadOnlyDictionary<string, MetricSet>>(),
            new Dictionary<string, TaskCurves> { ["click"] = new("click", [], [], [], []) },
            null, []);

    [Fact]
    public void Metrics_json_has_the_design_keys_exact_doubles_and_nulls()
    {
        EvaluationReport.Write(Sample(), _dir);
        var text = File.ReadAllText(Path.Combine(_dir, "metrics.json"));
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("Infinity", text);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;

        Assert.Equal("joint-5task <v1>", root.GetProperty("model").GetString());
        Assert.Equal("world-7", root.GetProperty("dataset").GetString());
        Assert.Equal("test", root.GetProperty("split").GetString());
        Assert.True(root.GetProperty("calibrated").GetBoolean());

        var promo = root.GetProperty("tasks").GetProperty("promo_stream");
        Assert.Equal(ExactAp, promo.GetProperty("ap").GetDouble());
        Assert.Equal(0.81, promo.GetProperty("auc").GetDouble());
        Assert.Equal(0.25, promo.GetProperty("logloss").GetDouble());
        Assert.Equal(0.012, promo.GetProperty("ece").GetDouble());
        Assert.Equal(0.015, promo.GetProperty("ece_equal_mass").GetDouble());
        Assert.Equal(5000, promo.GetProperty("n").GetInt64());
        Assert.Equal(400, promo.GetProperty("positives").GetInt64());
        Assert.Equal(0.2, promo.GetProperty("oracle_ap").GetDouble());
        // 0.12345678901234568 / 0.2 = 0.12345678901234568 * 5 = 0.6172839450617284 (written by hand).
        Assert.Equal(0.6172839450617284, promo.GetProperty("fraction_of_oracle").GetDouble(), 14);
        Assert.Equal([0.11, 0.135], promo.GetProperty("ap_ci").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Equal(JsonValueKind.Null, promo.GetProperty("note").ValueKind);

        var ad = root.GetProperty("tasks").GetProperty("ad_stream");
        foreach (var key in new[] { "ap", "auc", "oracle_ap", "fraction_of_oracle", "ap_ci" })
            Assert.Equal(JsonValueKind.Null, ad.GetProperty(key).ValueKind);
        Assert.Equal("no positives: AP and AUC undefined", ad.GetProperty("note").GetString());

        var tier3 = root.GetProperty("by_tier").GetProperty("promo_stream").GetProperty("3");
        Assert.Equal(0.05, tier3.GetProperty("ap").GetDouble());
        Assert.Equal(1000, tier3.GetProperty("n").GetInt64());
        Assert.Equal(12, tier3.GetProperty("positives").GetInt64());
        Assert.Equal(0.09, tier3.GetProperty("oracle_ap").GetDouble());
        Assert.Equal("only 12 positives: unreliable", tier3.GetProperty("note").GetString());
        Assert.Equal(["0", "1", "3"], root.GetProperty("by_tier").GetProperty("promo_stream").EnumerateObject().Select(p => p.Name).ToArray());

        Assert.Equal(0.04, root.GetProperty("by_source").GetProperty("ad").GetProperty("promo_stream").GetProperty("ap").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("by_source").GetProperty("ad").GetProperty("ad_stream").GetProperty("ap").ValueKind);
        Assert.Equal(800, root.GetProperty("less_streamed").GetProperty("promo_stream").GetProperty("n").GetInt64());
        Assert.Equal(0.13, root.GetProperty("rest").GetProperty("promo_stream").GetProperty("ap").GetDouble());
        Assert.Equal(0.1, root.GetProperty("by_modality").GetProperty("promo_stream").GetProperty("display").GetProperty("ap").GetDouble());
        Assert.Equal(2500, root.GetProperty("by_slot").GetProperty("promo_stream").GetProperty("mid").GetProperty("n").GetInt64());
        Assert.Equal(1200, root.GetProperty("by_content_type").GetProperty("promo_stream").GetProperty("music").GetProperty("n").GetInt64());
        var sourceTier = root.GetProperty("by_source_tier").GetProperty("ad").GetProperty("promo_stream").GetProperty("2");
        Assert.Equal(0.031, sourceTier.GetProperty("ap").GetDouble());
        Assert.Equal(14, sourceTier.GetProperty("positives").GetInt64());
        Assert.Equal(0.041, root.GetProperty("uncalibrated_ece").GetProperty("promo_stream").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("uncalibrated_ece").GetProperty("ad_stream").ValueKind);
        Assert.Equal(["ad_stream has no positives on this split"], root.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public void Metrics_json_leaves_out_optional_fields_when_not_given()
    {
        using var doc = JsonDocument.Parse(EvaluationReport.ToMetricsJson(Empty()));
        Assert.False(doc.RootElement.TryGetProperty("uncalibrated_ece", out _));
        Assert.False(doc.RootElement.TryGetProperty("by_source_tier", out _));
        Assert.False(doc.RootElement.TryGetProperty("by_content_type", out _));
        Assert.False(doc.RootElement.GetProperty("calibrated").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void Markdown_report_names_tasks_flags_few_positives_and_shows_na_for_nulls()
    {
        EvaluationReport.Write(Sample(), _dir);
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("promo_stream", md);
        Assert.Contains("ad_stream", md);
        Assert.Contains("joint-5task \\<v1\\>", md); // not read as an HTML tag
        Assert.Contains("Calibrated: yes", md);
        Assert.Contains("| 0.0500 \u2020 |", md); // tier 3: 12 positives
        Assert.Contains("only 12 positives: unreliable", md); // its footnote
        Assert.Contains("| n/a \u2020 |", md); // ad_stream's null AP, flagged with its note
        Assert.Contains("no positives: AP and AUC undefined", md);
        Assert.Contains("0.1235 [0.1100, 0.1350]", md); // AP with its CI
        Assert.Contains("ECE before calibration", md);
        Assert.Contains("0.0410", md);
        Assert.Contains("ad_stream has no positives on this split", md);
        Assert.Contains("| tier 7 |", md); // tiers 0-7 always shown
        Assert.Contains("| ad | promo_stream | AP | n/a | n/a | 0.0310 \u2020 |", md); // by source and tier
        Assert.Contains("ad / promo_stream tier 2: only 14 positives: unreliable", md);
        Assert.Contains("By content type", md);
        Assert.DoesNotContain("NaN", md);
    }

    [Fact]
    public void Html_report_is_self_contained_with_decodable_png_plots()
    {
        EvaluationReport.Write(Sample(), _dir);
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.DoesNotMatch(new Regex("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("joint-5task &lt;v1&gt;", html); // escaped
        Assert.DoesNotContain("joint-5task <v1>", html);

        var images = Regex.Matches(html, "data:image/png;base64,([A-Za-z0-9+/=]+)");
        Assert.True(images.Count >= 3, $"expected PR, reliability and tier plots, found {images.Count}");
        foreach (Match image in images)
        {
            var png = Convert.FromBase64String(image.Groups[1].Value);
            Assert.True(png.Length > 1000);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        }
        Assert.Contains("promo_stream: precision-recall curve", html);
        Assert.Contains("promo_stream: reliability diagram", html);
        Assert.Contains("promo_stream: AP by tier", html);
        Assert.Contains("n/a", html);
        Assert.Contains("&dagger;", html);
    }

    [Fact]
    public void Write_leaves_only_the_three_files_and_replaces_old_ones()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "metrics.json"), "stale");
        EvaluationReport.Write(Sample(), _dir);
        EvaluationReport.Write(Sample(), _dir);
        var names = Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["metrics.json", "report.html", "report.md"], names);
        Assert.NotEqual("stale", File.ReadAllText(Path.Combine(_dir, "metrics.json")));
    }

    [Fact]
    public void Rendering_empty_curves_and_empty_slices_works()
    {
        EvaluationReport.Write(Empty(), _dir);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "metrics.json")));
        Assert.Empty(doc.RootElement.GetProperty("tasks").EnumerateObject());
        var md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        Assert.Contains("click", md);
        Assert.Contains("n/a", md);
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Contains("click", html);
        Assert.DoesNotContain("data:image/png", html);
        Assert.Contains("n/a", html);
    }
}

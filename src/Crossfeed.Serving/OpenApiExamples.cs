using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Crossfeed.Serving;

/// <summary>Puts a request and a response example on POST /v1/rank in the OpenAPI document.</summary>
public sealed class OpenApiExamples : IOpenApiOperationTransformer
{
    public const string RankRequestExample = """
        {
          "user": { "id": "u17", "features": { "country": "SE", "device": "ios" } },
          "context": { "hour": "20", "day_of_week": "5", "surface": "home", "slot": "home_shelf", "modality": "display" },
          "candidates": [
            { "id": "promo-1", "source": "promotion", "show_id": "s42" },
            { "id": "ad-7", "source": "ad", "show_id": "s9", "creative_id": "cr311", "campaign_id": "ca12",
              "features": { "ad_format": "audio_30s", "bid_cpm": 8.5 } }
          ],
          "top_k": 2
        }
        """;

    public static readonly RankResponse RankResponseExample = new(
        "podcast-joint", "3f2a9c0d5e...(SHA-256 of manifest.json)", Objective.DefaultText,
        [
            new RankedCandidate("promo-1", "promotion", 0.081f,
                new Dictionary<string, float> { ["promo_stream"] = 0.081f, ["click"] = 0.034f, ["like"] = 0.012f, ["follow"] = 0.006f }),
            new RankedCandidate("ad-7", "ad", 0.024f,
                new Dictionary<string, float> { ["ad_stream"] = 0.024f, ["click"] = 0.019f, ["follow"] = 0.002f }),
        ],
        ["user.id 'u17': not in the feature store; scored with the request's features (missing ones fall back to OOV)"]);

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath != "v1/rank") return Task.CompletedTask;
        if (operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true)
            request.Example = JsonNode.Parse(RankRequestExample);
        if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var response) == true)
            response.Example = JsonSerializer.SerializeToNode(RankResponseExample, ServeHost.Json);
        return Task.CompletedTask;
    }
}

using Crossfeed.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Crossfeed.Serving;

/// <summary>The routes: ranking, reload, health and readiness. Handlers only translate outcomes to typed results.</summary>
public static class ServingEndpoints
{
    public const string RankLimiter = "rank";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(BodyFirstMiddleware.Route, Rank)
            .RequireRateLimiting(RankLimiter)
            .WithName("Rank")
            .WithSummary("Rank candidates (promotions and ads) for one user")
            .WithDescription("Calibrated probabilities per task for every candidate, ordered by the configured objective.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        app.MapPost("/admin/reload", Reload)
            .WithName("Reload")
            .WithSummary("Load the bundle folder again; verified before it replaces the current model")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        app.MapGet("/healthz", Health).WithName("Health").WithSummary("The process is alive");
        app.MapGet("/readyz", Ready).WithName("Ready").WithSummary("A model is loaded and warmed up (503 before)");
    }

    public static async Task<Results<Ok<RankResponse>, ProblemHttpResult>> Rank(RankRequest request, ModelHolder holder, RankService ranking, HttpContext http)
    {
        if (holder.TryAcquire() is not { } lease) return NotReady(http);
        try
        {
            return TypedResults.Ok(await ranking.RankAsync(lease, request, http.RequestAborted));
        }
        catch (BadInputException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
        catch (TimeoutException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status504GatewayTimeout, title: "Timed out");
        }
    }

    public static async Task<Results<Ok<ReloadResult>, ProblemHttpResult>> Reload(ModelReloader reloader, CancellationToken cancellationToken)
    {
        var result = await reloader.ReloadAsync("POST /admin/reload", cancellationToken);
        if (result.Accepted) return TypedResults.Ok(result);
        return TypedResults.Problem(result.Error, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Bundle refused",
            extensions: new Dictionary<string, object?> { ["model_name"] = result.ModelName, ["model_version"] = result.ModelVersion });
    }

    public static Ok<ServiceStatus> Health() => TypedResults.Ok(new ServiceStatus("alive", null, null, null));

    public static Results<Ok<ServiceStatus>, ProblemHttpResult> Ready(ModelHolder holder, RankService ranking, HttpContext http) =>
        holder.Current is { } model
            ? TypedResults.Ok(new ServiceStatus("ready", model.Name, model.Version, ranking.Features))
            : NotReady(http);

    private static ProblemHttpResult NotReady(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem("the model is still loading and warming up", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready");
    }
}

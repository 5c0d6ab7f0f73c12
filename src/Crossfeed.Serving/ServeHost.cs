using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Crossfeed.Serving.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Crossfeed.Serving;

/// <summary>
/// Builds the HTTP service around a bundle: limits, API key, metrics, OpenAPI, start-up load, hot reload
/// and the routes of <see cref="ServingEndpoints"/>. Wiring only.
/// </summary>
public static class ServeHost
{
    /// <summary>The JSON of requests and responses: snake_case, unknown fields refused (a typo is an error, not a silent default).</summary>
    public static readonly JsonSerializerOptions Json = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <param name="load">Loads and verifies a bundle folder (see <see cref="ServedModel.LoadBundle"/>).</param>
    /// <param name="store">Features by id, or null for requests that give every feature inline.</param>
    /// <param name="configure">Last changes before the host is built (tests: a test server, logging).</param>
    public static WebApplication Build(ServeOptions options, Func<string, ServedModel> load, IFeatureStore? store = null,
                                       Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        // Bad bodies throw into ProblemExceptionHandler, which names the field, instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi(o => o.AddOperationTransformer<OpenApiExamples>());
        services.AddRateLimiter(o =>
        {
            o.AddConcurrencyLimiter(ServingEndpoints.RankLimiter, c =>
            {
                c.PermitLimit = options.MaxConcurrency;
                c.QueueLimit = options.QueueLimit;
                c.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<ServingMetrics>().Rejected.Inc();
                http.Response.Headers.RetryAfter = "1";
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Title = "Overloaded",
                        Detail = $"all {options.MaxConcurrency} scoring slots and the queue of {options.QueueLimit} are taken; retry after 1 s",
                    },
                });
            };
        });

        var metrics = new ServingMetrics();
        services.AddSingleton(options);
        services.AddSingleton(metrics);
        services.AddSingleton<ModelHolder>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ModelReloader>(sp, load));
        services.AddSingleton(sp => new RankService(options, metrics, store));
        services.AddSingleton<ModelStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelStartup>());
        if (options.WatchBundle) services.AddHostedService<BundleWatcher>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<BodyFirstMiddleware>();
        app.UseRateLimiter();
        ServingEndpoints.Map(app);
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapOpenApi();
        return app;
    }

    /// <summary>Why the first bundle was refused (the host then stopped), or null.</summary>
    public static string? StartupFailure(WebApplication app) => app.Services.GetRequiredService<ModelStartup>().Failure;

    private static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.NumberHandling = JsonNumberHandling.Strict;
        return o;
    }
}

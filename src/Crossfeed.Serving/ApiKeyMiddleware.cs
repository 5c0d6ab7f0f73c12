using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Crossfeed.Serving;

/// <summary>
/// With an API key set, /v1/* and /admin/* need it in the X-Api-Key header (401 otherwise); /healthz,
/// /readyz, /metrics and the OpenAPI document stay open for probes and scrapers.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ServeOptions options)
{
    public const string Header = "X-Api-Key";

    private readonly byte[]? _key = options.ApiKey is { } k ? Encoding.UTF8.GetBytes(k) : null;

    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        if (_key is null || !(http.Request.Path.StartsWithSegments("/v1") || http.Request.Path.StartsWithSegments("/admin")))
        {
            await next(http);
            return;
        }
        var given = http.Request.Headers[Header].ToString();
        // Fixed-time comparison: the time to refuse a wrong key says nothing about how much of it was right.
        if (given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _key))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "API key required",
                Detail = given.Length == 0 ? $"{Header}: header is missing" : $"{Header}: does not match the server's key",
            },
        });
    }
}

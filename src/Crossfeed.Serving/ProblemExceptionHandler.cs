using System.Text.Json;
using Crossfeed.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Crossfeed.Serving;

/// <summary>
/// Turns every exception that escapes an endpoint into a ProblemDetails: malformed or mistyped JSON and bad
/// values are 4xx naming the field, an oversize body 413, anything else 500 without a stack trace (that goes to the log).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => (400, "Malformed request body", Describe(json)),
            BadHttpRequestException { StatusCode: 413 } => (413, "Request body too large", exception.Message),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            BadInputException bad => (400, "Bad request", bad.Message),
            _ => (500, "Internal error", "the server failed to answer this request; the error is in its log"),
        };
        if (status >= 500) log.LogError(exception, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>"candidates[0].id: The JSON value could not be converted to System.String." from the serializer's path and message.</summary>
    public static string Describe(JsonException json)
    {
        var field = json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path.TrimStart('$');
        if (json is FeatureValueException value) field += value.Within;
        var message = json.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        var line = json.LineNumber is { } l && json.BytePositionInLine is { } b ? $" (line {l + 1}, byte {b + 1})" : "";
        return $"{field}: {message}{line}";
    }
}

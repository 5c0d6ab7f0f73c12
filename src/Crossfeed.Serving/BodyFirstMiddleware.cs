using Microsoft.AspNetCore.Http;

namespace Crossfeed.Serving;

/// <summary>
/// Receives a ranking request's whole body before the request may take a scoring slot (the rate limiter comes
/// next). Parsing happens inside the slot, so without this a client still sending its body, slowly or not at all,
/// held a slot meanwhile: one stalled client per slot turned every other request away with 503. The body stays in
/// Kestrel's connection buffer, nothing is consumed, and the endpoint parses it from there; Kestrel's own limits
/// still apply (the body size limit, a minimum data rate) and an oversize body fails here with 413.
/// </summary>
public sealed class BodyFirstMiddleware(RequestDelegate next)
{
    public const string Route = "/v1/rank";

    public async Task InvokeAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals(Route, StringComparison.Ordinal))
        {
            var reader = http.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End); // keep every byte for the endpoint, wait for more
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        await next(http);
    }
}

using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Per-endpoint request body limits. The server-wide limit is the largest any endpoint takes (a video); an image
/// endpoint must not buffer 200 MiB before it can say no, so each upload route lowers the limit for its requests
/// before the body is read, and refuses a declared Content-Length above it at once.
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>Room for multipart boundaries, headers and form fields around the files.</summary>
    public const long Slack = 1 << 20;

    /// <param name="builder">An upload route whose handler reads the body itself (after endpoint filters run).</param>
    /// <param name="limit">The route's limit for its payload, from <see cref="ApiOptions"/>; the body may be <see cref="Slack"/> larger.</param>
    /// <param name="setting">The configuration key of that limit, named in the 413 answer.</param>
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder builder, Func<ApiOptions, long> limit, string setting) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var payloadLimit = limit(http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value);
            var bodyLimit = payloadLimit + Slack;
            if (http.Request.ContentLength is { } length && length > bodyLimit)
            {
                return Problems.TooLarge($"The request body is {length:N0} bytes; this endpoint accepts uploads of at most {payloadLimit:N0} bytes ({setting}).");
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = bodyLimit;
            }

            return await next(context);
        });
}

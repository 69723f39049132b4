namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Records an <see cref="AuditEvent"/> after each state-changing call: a POST, PUT, PATCH or DELETE under
/// <c>/api</c> (submits, cancels, deletes, stream changes) or <c>/hangfire</c> (the dashboard's requeue and delete).
/// Reads and probes are not audited.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, AuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsAudited(context.Request))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            audit.Record(Describe(context));
        }
    }

    internal static bool IsAudited(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
        && (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hangfire"));

    internal static AuditEvent Describe(HttpContext context)
    {
        var status = context.Response.StatusCode;
        return new AuditEvent(
            DateTimeOffset.UtcNow,
            $"{context.Request.Method} {context.Request.Path}",
            CallerIdentity.Of(context) ?? "anonymous",
            context.Connection.RemoteIpAddress?.ToString(),
            TaskId(context),
            status,
            status switch
            {
                < 400 => "succeeded",
                401 or 403 => "refused",
                < 500 => "rejected",
                _ => "failed",
            });
    }

    /// <summary>The task acted on: the route's id (cancel, delete), else the one a submit created (its Location).</summary>
    private static string? TaskId(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue("id", out var id) && id is not null)
        {
            return id.ToString();
        }

        var location = context.Response.Headers.Location.ToString();
        return location.Length > 0 ? location[(location.LastIndexOf('/') + 1)..] : null;
    }
}

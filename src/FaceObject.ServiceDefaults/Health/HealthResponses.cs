using FaceObject.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceObject.ServiceDefaults.Health;

/// <summary>
/// The probes' JSON bodies, the same for every host: <c>status</c>, then the data every check published (e.g.
/// <c>storage</c>, <c>storage_reachable</c>, <c>unserved_queues</c>, <c>models</c>), in snake_case like the rest of
/// the API. The status code follows the worst check: 200 when healthy or degraded, 503 when unhealthy.
/// </summary>
internal static class HealthResponses
{
    /// <summary><c>/livez</c>: <c>{"status":"alive"}</c>.</summary>
    public static Task WriteLiveAsync(HttpContext context, HealthReport report) =>
        WriteAsync(context, report, report.Status == HealthStatus.Unhealthy ? "unavailable" : "alive");

    /// <summary><c>/readyz</c>: <c>ready</c>, <c>degraded</c> (serves, but something is missing) or <c>unavailable</c>.</summary>
    public static Task WriteReadyAsync(HttpContext context, HealthReport report) =>
        WriteAsync(context, report, report.Status switch
        {
            HealthStatus.Healthy => "ready",
            HealthStatus.Degraded => "degraded",
            _ => "unavailable",
        });

    private static Task WriteAsync(HttpContext context, HealthReport report, string status)
    {
        var body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = status };
        foreach (var entry in report.Entries.Values)
        {
            foreach (var (key, value) in entry.Data)
            {
                body[key] = value;
            }
        }

        return context.Response.WriteAsJsonAsync(body, FaceObjectJson.Options, context.RequestAborted);
    }
}

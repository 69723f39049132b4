using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceObject.Api.Health;

/// <summary>
/// Readiness: each model queue has a live server. An API without workers can still accept work (it waits in
/// Redis), so a queue nobody serves degrades readiness instead of failing it. Publishes <c>unserved_queues</c>.
/// </summary>
internal sealed class QueuesServedHealthCheck(ModelCatalog catalog, IQueueInspector inspector) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        string[] unserved;
        try
        {
            var loads = await inspector.GetLoadsAsync(catalog.Queues, cancellationToken);
            unserved = loads.Where(load => load.Servers == 0).Select(load => load.Queue).ToArray();
        }
        catch (Core.Storage.StorageUnavailableException e)
        {
            // The storage check reports the outage; the body keeps its shape.
            return HealthCheckResult.Unhealthy("Queues cannot be read.", e, Data([]));
        }

        return unserved.Length == 0
            ? HealthCheckResult.Healthy(data: Data(unserved))
            : HealthCheckResult.Degraded($"No server for {string.Join(", ", unserved)}.", data: Data(unserved));
    }

    private static Dictionary<string, object> Data(string[] unserved) => new() { ["unserved_queues"] = unserved };
}

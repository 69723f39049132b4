using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using Hangfire;
using Prometheus;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Queue gauges read from Hangfire's storage when Prometheus scrapes the API, so every API instance reports the
/// same shared queues without a background poller.
/// </summary>
internal static class QueueMetrics
{
    private static readonly Gauge Depth = Metrics.CreateGauge("faceobject_queue_depth", "Jobs waiting in the queue.", "queue");
    private static readonly Gauge Processing = Metrics.CreateGauge("faceobject_queue_processing", "Jobs fetched by a worker and not yet finished.", "queue");
    private static readonly Gauge Workers = Metrics.CreateGauge("faceobject_workers", "Hangfire worker threads serving the queue, over all live servers.", "queue");

    public static void Register(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<ModelCatalog>();
        var storage = services.GetRequiredService<JobStorage>();
        var queues = catalog.Queues.Append(QueueNames.Callbacks).Distinct(StringComparer.Ordinal).ToArray();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            try
            {
                var monitoring = storage.GetMonitoringApi();
                var servers = monitoring.Servers();
                foreach (var queue in queues)
                {
                    Depth.WithLabels(queue).Set(monitoring.EnqueuedCount(queue));
                    Processing.WithLabels(queue).Set(monitoring.FetchedCount(queue));
                    Workers.WithLabels(queue).Set(servers.Where(s => s.Queues.Contains(queue)).Sum(s => s.WorkersCount));
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Storage down: keep the last values rather than failing the whole scrape; /readyz reports the outage.
            }
        });
    }
}

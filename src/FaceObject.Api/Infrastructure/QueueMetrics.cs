using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using Prometheus;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Queue gauges read through <see cref="IQueueInspector"/> when Prometheus scrapes the API, so every API instance
/// reports the same shared queues without a background poller.
/// </summary>
internal static class QueueMetrics
{
    private static readonly Gauge Depth = Metrics.CreateGauge("faceobject_queue_depth", "Jobs waiting in the queue.", "queue");
    private static readonly Gauge Processing = Metrics.CreateGauge("faceobject_queue_processing", "Jobs fetched by a worker and not yet finished.", "queue");
    private static readonly Gauge Workers = Metrics.CreateGauge("faceobject_workers", "Hangfire worker threads serving the queue, over all live servers.", "queue");

    public static void Register(IServiceProvider services)
    {
        var catalog = services.GetRequiredService<ModelCatalog>();
        var inspector = services.GetRequiredService<IQueueInspector>();
        var queues = catalog.Queues.Append(QueueNames.Callbacks).Distinct(StringComparer.Ordinal).ToArray();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async cancellationToken =>
        {
            try
            {
                foreach (var load in await inspector.GetLoadsAsync(queues, cancellationToken))
                {
                    Depth.WithLabels(load.Queue).Set(load.Enqueued);
                    Processing.WithLabels(load.Queue).Set(load.Processing);
                    Workers.WithLabels(load.Queue).Set(load.Workers);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Storage down: keep the last values rather than failing the whole scrape; /readyz reports the outage.
            }
        });
    }
}

using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>For operators: queue state. Liveness and readiness are the host defaults' health checks (/livez, /readyz).</summary>
internal static class QueueEndpoints
{
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/queues", QueuesAsync).WithTags("Queues").WithName("ListQueues").WithSummary("Per queue: enqueued, processing, servers, workers, and tasks ended (totals and last minute)");
        return api;
    }

    internal static async Task<Ok<QueueView[]>> QueuesAsync(
        ModelCatalog catalog, IQueueInspector inspector, ITaskStore tasks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var loads = await inspector.GetLoadsAsync(catalog.Queues.Append(QueueNames.Callbacks).Distinct(StringComparer.Ordinal), cancellationToken);
        var views = new List<QueueView>();
        foreach (var load in loads)
        {
            var ended = await tasks.GetStatisticsAsync(load.Queue, now, cancellationToken);
            views.Add(new QueueView(load.Queue, load.Enqueued, load.Processing, load.Servers, load.Workers,
                ended.Completed, ended.Failed, ended.Cancelled, ended.EndedLastMinute));
        }

        return TypedResults.Ok(views.ToArray());
    }
}

using FaceObject.Api.Infrastructure;
using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.Storage;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>For operators and orchestrators: liveness, readiness and queue state.</summary>
internal static class OpsEndpoints
{
    public static IEndpointRouteBuilder MapOpsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/livez", () => TypedResults.Ok(new { status = "alive" })).WithTags("Health").ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).WithTags("Health").WithName("GetReadiness").WithSummary("Storage reachable and each model queue served");
        app.MapGet("/api/queues", QueuesAsync).WithTags("Queues").WithName("ListQueues").RequireApiKey().WithSummary("Per queue: enqueued, processing, servers, workers, and tasks ended (totals and last minute)");
        return app;
    }

    internal static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        StorageProbe probe, StorageInfo storage, ModelCatalog catalog, JobStorage jobs)
    {
        if (!await probe.IsReachableAsync())
        {
            return TypedResults.Json(new Readiness("unavailable", storage.Describe(), false, []),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var served = ServedQueues(jobs);
        var unserved = catalog.Queues.Where(q => !served.ContainsKey(q)).ToArray();

        // An API without workers can still accept work (it waits in Redis), so missing workers degrade, not fail.
        var status = unserved.Length == 0 ? "ready" : "degraded";
        return TypedResults.Ok(new Readiness(status, storage.Describe(), true, unserved));
    }

    internal static async Task<Ok<QueueView[]>> QueuesAsync(
        ModelCatalog catalog, JobStorage jobs, ITaskStore tasks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var monitoring = jobs.GetMonitoringApi();
        var served = ServedQueues(jobs);
        var now = clock.GetUtcNow();
        var views = new List<QueueView>();
        foreach (var name in catalog.Queues.Append(QueueNames.Callbacks).Distinct(StringComparer.Ordinal))
        {
            served.TryGetValue(name, out var workers);
            var ended = await tasks.GetStatisticsAsync(name, now, cancellationToken);
            views.Add(new QueueView(name, monitoring.EnqueuedCount(name), monitoring.FetchedCount(name), workers.Servers, workers.Workers,
                ended.Completed, ended.Failed, ended.Cancelled, ended.EndedLastMinute));
        }

        return TypedResults.Ok(views.ToArray());
    }

    /// <summary>Live Hangfire servers per queue, with their worker threads.</summary>
    private static Dictionary<string, (int Servers, int Workers)> ServedQueues(JobStorage jobs)
    {
        var result = new Dictionary<string, (int Servers, int Workers)>(StringComparer.Ordinal);
        foreach (var server in jobs.GetMonitoringApi().Servers())
        {
            foreach (var queue in server.Queues)
            {
                result.TryGetValue(queue, out var current);
                result[queue] = (current.Servers + 1, current.Workers + server.WorkersCount);
            }
        }

        return result;
    }

    internal sealed record Readiness(string Status, string Storage, bool StorageReachable, string[] UnservedQueues);
}

using System.Text.Json;
using FaceObject.Api.Endpoints;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceObject.Api.Ingestion;

/// <summary>
/// Seed 002's <c>health_check</c> task, by message: <c>{"type": "health_check", "task_id"?: "..."}</c> is answered on
/// the results stream or exchange with the readiness of <c>/readyz</c> (in seed 001's <c>/health</c> words) and each
/// queue's load, so a producer that only talks to the broker learns whether the ingestion, the storage and a worker
/// for every model queue are there.
/// </summary>
internal sealed class HealthCheckMessage(
    HealthCheckService health, ModelCatalog catalog, IQueueInspector inspector, ITaskStore tasks, TimeProvider clock)
{
    public const string Type = "health_check";

    public async Task<IngestOutcome> AnswerAsync(string? taskId, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken);
        var status = SeedHealth.From(report, clock.GetUtcNow());
        QueueView[] queues;
        try
        {
            queues = (await QueueEndpoints.QueuesAsync(catalog, inspector, tasks, clock, cancellationToken)).Value!;
        }
        catch (StorageUnavailableException e)
        {
            // Redis gone is itself the answer: the storage check above already says unhealthy.
            return IngestOutcome.Retry(e.Message);
        }

        var reply = new HealthCheckReply(Type, taskId, status.Status, status.Timestamp, status.Checks, queues);
        return IngestOutcome.Answered(taskId, status.Status, JsonSerializer.SerializeToUtf8Bytes(reply, FaceObjectJson.Options));
    }
}

/// <summary>The answer to a <c>health_check</c> message: seed 001's <c>/health</c> fields and <c>GET /api/queues</c>.</summary>
internal sealed record HealthCheckReply(
    string Type, string? TaskId, string Status, long Timestamp, IReadOnlyDictionary<string, string> Checks, IReadOnlyList<QueueView> Queues);

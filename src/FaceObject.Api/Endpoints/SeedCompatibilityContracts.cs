using System.Text.Json;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceObject.Api.Endpoints;

/// <summary>The answer to seed 001's <c>POST /upload</c>: <c>job_id</c> is the task id of <c>/api/task/{id}</c>.</summary>
internal sealed record SeedUploadAccepted(string JobId, string? Filename, long FileSize, string Status, string Message);

/// <summary>
/// Seed 001's <c>GET /status/{job_id}</c>: the task with the seed's status names, <c>updated_at</c> in seconds since
/// the epoch, and <c>results</c> once it has completed (null before). <c>error</c> says why a failed task failed.
/// </summary>
internal sealed record SeedJobStatus(string JobId, string Status, long UpdatedAt, SeedJobResults? Results, string? Error)
{
    /// <summary>Our statuses in the seed's words: a queued task is the seed's <c>submitted</c>.</summary>
    public static string StatusName(DetectionTaskStatus status) => status switch
    {
        DetectionTaskStatus.Queued => "submitted",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static SeedJobStatus From(TaskView task)
    {
        var updated = task.CompletedAt ?? task.StartedAt ?? task.CreatedAt;
        var results = task.Status == DetectionTaskStatus.Completed ? SeedJobResults.From(task) : null;
        return new(task.TaskId, StatusName(task.Status), updated.ToUnixTimeSeconds(), results, task.Error);
    }
}

/// <summary>
/// A completed job's results as seed 001 names them. The paths are <c>s3://bucket/key</c> with Storage:Kind=s3;
/// otherwise the input has no address (it is deleted after processing) and the processed image is its
/// <c>/api/task/{id}/image</c> URL. <c>detection_metadata</c> is the whole result document of <c>GET /api/task/{id}</c>.
/// </summary>
internal sealed record SeedJobResults(
    string? OriginalImagePath,
    string? ProcessedImagePath,
    double? ProcessingTime,
    JsonElement? Detections,
    JsonElement? DetectionMetadata)
{
    public static SeedJobResults From(TaskView task)
    {
        var storage = task.Storage;
        var original = storage?.Original is { } key ? S3Path(storage.OriginalBucket, key) : null;
        var processed = storage?.Processed is { } output ? S3Path(storage.Bucket, output) : task.ImageUrl;
        JsonElement? detections = task.Result is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("detections", out var found)
            ? found
            : null;
        return new(original, processed, task.ProcessingTimeMs is { } ms ? Math.Round(ms / 1000, 3) : null, detections, task.Result);
    }

    private static string S3Path(string bucket, string key) => $"s3://{bucket}/{key}";
}

/// <summary>The answer to seed 001's <c>POST /batch-upload</c>: one job per accepted file, and why the others were refused.</summary>
internal sealed record SeedBatchAccepted(
    string BatchId,
    string Status,
    string Message,
    int TotalFiles,
    IReadOnlyList<SeedBatchJob> Jobs,
    IReadOnlyList<FaceObject.Core.Batches.BatchRejection> Rejected)
{
    public static SeedBatchAccepted From(BatchAccepted batch) => new(
        batch.BatchId,
        SeedJobStatus.StatusName(DetectionTaskStatus.Queued),
        $"{batch.Tasks.Count} image(s) submitted for processing",
        batch.Tasks.Count + batch.Rejected.Count,
        batch.Tasks.Select(t => new SeedBatchJob(t.TaskId, t.Filename, SeedJobStatus.StatusName(DetectionTaskStatus.Queued))).ToList(),
        batch.Rejected);
}

internal sealed record SeedBatchJob(string JobId, string? Filename, string Status);

/// <summary>
/// Seed 001's <c>GET /stats</c>, summed over the queues of <c>GET /api/queues</c> (listed in <c>queues</c>):
/// jobs waiting and running now, jobs ended since the store began, and ended in the last minute.
/// </summary>
internal sealed record SeedStats(
    long Timestamp,
    long QueueLength,
    long Processing,
    long Completed,
    long Failed,
    long Cancelled,
    long ProcessedLastMinute,
    int Workers,
    IReadOnlyList<QueueView> Queues)
{
    public static SeedStats From(IReadOnlyList<QueueView> queues, DateTimeOffset now) => new(
        now.ToUnixTimeSeconds(),
        queues.Sum(q => q.Enqueued),
        queues.Sum(q => q.Processing),
        queues.Sum(q => q.Completed),
        queues.Sum(q => q.Failed),
        queues.Sum(q => q.Cancelled),
        queues.Sum(q => q.EndedLastMinute),
        queues.Sum(q => q.Workers),
        queues);
}

/// <summary>Seed 001's <c>GET /queue-status</c>: the backlog in total and per queue, and the per-queue limit (<c>Api:MaxQueuedPerQueue</c>).</summary>
internal sealed record SeedQueueStatus(
    long Timestamp, long QueueLength, long Processing, int MaxQueueSize, IReadOnlyDictionary<string, SeedQueueDepth> Queues)
{
    public static SeedQueueStatus From(IReadOnlyList<QueueView> queues, int maxQueueSize, DateTimeOffset now) => new(
        now.ToUnixTimeSeconds(),
        queues.Sum(q => q.Enqueued),
        queues.Sum(q => q.Processing),
        maxQueueSize,
        queues.ToDictionary(q => q.Name, q => new SeedQueueDepth(q.Enqueued, q.Processing, q.Workers), StringComparer.Ordinal));
}

internal sealed record SeedQueueDepth(long QueueLength, long Processing, int Workers);

/// <summary>Seed 001's <c>GET /health</c>: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, from the readiness checks of <c>/readyz</c>.</summary>
internal sealed record SeedHealth(string Status, long Timestamp, IReadOnlyDictionary<string, string> Checks)
{
    public static SeedHealth From(HealthReport report, DateTimeOffset now) => new(
        Name(report.Status), now.ToUnixTimeSeconds(), report.Entries.ToDictionary(e => e.Key, e => Name(e.Value.Status), StringComparer.Ordinal));

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}

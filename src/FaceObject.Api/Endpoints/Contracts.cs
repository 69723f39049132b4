using System.Text.Json;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Endpoints;

/// <summary>The 202 answer to a submit (DESIGN.md).</summary>
internal sealed record TaskAccepted(string TaskId, DetectionTaskStatus Status, string Model, string Queue, string StatusUrl, DateTimeOffset CreatedAt)
{
    public static TaskAccepted From(TaskRecord task) =>
        new(task.TaskId, task.Status, task.Model, task.Queue, TaskEndpoints.StatusUrl(task.TaskId), task.CreatedAt);
}

/// <summary>A task as clients see it (DESIGN.md); <c>result</c> is the stored result document.</summary>
internal sealed record TaskView(
    string TaskId,
    string Model,
    string Queue,
    TaskKind Kind,
    DetectionTaskStatus Status,
    double Progress,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? QueueTimeMs,
    double? ProcessingTimeMs,
    JsonElement? Result,
    string? Error,
    int Attempts,
    string? JobId,
    string? FileName,
    string? ImageUrl,
    TaskStorageView? Storage)
{
    /// <param name="bucket">The payload bucket with Storage:Kind=s3 (then the view says where the task's objects are), else null.</param>
    public static TaskView From(TaskRecord task, IObjectBucket? bucket = null) => new(
        task.TaskId, task.Model, task.Queue, task.Kind, task.Status, task.Progress, task.CreatedAt, task.StartedAt,
        task.CompletedAt, task.QueueTimeMs is { } q ? Math.Round(q, 2) : null, task.ProcessingTimeMs, task.Result,
        task.Error, task.Attempts, task.JobId, task.FileName,
        task.OutputImageKey is null ? null : TaskEndpoints.StatusUrl(task.TaskId) + "/image",
        bucket is null ? null : TaskStorageView.From(task, bucket.Name));
}

/// <summary>
/// Where a task's objects are in the bucket (Storage:Kind=s3, docs/storage.md): the input (<c>original/…</c>, or the
/// client's own object for by-key tasks, then in <c>original_bucket</c>), the result document once completed, and
/// the processed image when one was made.
/// </summary>
internal sealed record TaskStorageView(string Bucket, string? Original, string OriginalBucket, string? Result, string? Processed)
{
    public static TaskStorageView From(TaskRecord task, string bucket) => new(
        bucket,
        task.Source?.Key ?? task.PayloadKey,
        task.Source?.Bucket ?? bucket,
        task.Status == DetectionTaskStatus.Completed ? PayloadKeys.Result(task.TaskId) : null,
        task.OutputImageKey);
}

/// <summary>One configured model, as <c>GET /api/models</c> lists it.</summary>
internal sealed record ModelView(string Key, string Queue, string Type, string Path, float? ScoreThreshold, float? NmsThreshold, string Device);

/// <summary>
/// One queue, as <c>GET /api/queues</c> lists it: Hangfire's live state (enqueued, processing, servers, workers)
/// and our task totals (completed, failed, cancelled since the store began, ended in the last minute).
/// </summary>
internal sealed record QueueView(
    string Name, long Enqueued, long Processing, int Servers, int Workers, long Completed, long Failed, long Cancelled, long EndedLastMinute);

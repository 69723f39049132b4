using System.Text.Json;

namespace FaceObject.Core.Tasks;

/// <summary>
/// A task as clients see it (DESIGN.md): the body of <c>GET /api/task/{id}</c> and of the callback POST, so both
/// are one document. <c>result</c> is the stored result document.
/// </summary>
public sealed record TaskView(
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
    string? SourceUrl,
    CallbackState? Callback,
    TaskStorageView? Storage)
{
    /// <summary>The relative URL of a task, as the 202 answer and the Location header give it.</summary>
    public static string StatusUrl(string taskId) => "/api/task/" + taskId;

    /// <param name="task">The record.</param>
    /// <param name="bucket">The payload bucket with Storage:Kind=s3 (then the view says where the task's objects are), else null.</param>
    public static TaskView From(TaskRecord task, string? bucket = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(
            task.TaskId, task.Model, task.Queue, task.Kind, task.Status, task.Progress, task.CreatedAt, task.StartedAt,
            task.CompletedAt, task.QueueTimeMs is { } q ? Math.Round(q, 2) : null, task.ProcessingTimeMs, task.Result,
            task.Error, task.Attempts, task.JobId, task.FileName,
            task.OutputImageKey is null ? null : StatusUrl(task.TaskId) + "/image",
            task.SourceUrl, task.Callback, bucket is null ? null : TaskStorageView.From(task, bucket));
    }

    /// <summary>While queued: the place in the queue, 1 being next (approximate). Null otherwise, and in callbacks.</summary>
    public long? QueuePosition { get; init; }

    /// <summary>A pipeline run's stages (docs/pipelines.md): where each runs, its status, timing and result or error. Left out for other tasks.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Pipelines.StageState>? Stages { get; init; }
}

/// <summary>
/// Where a task's objects are in the bucket (Storage:Kind=s3, docs/storage.md): the input (<c>original/…</c>, or the
/// client's own object for by-key tasks, then in <c>original_bucket</c>), the result document once completed, and
/// the processed image when one was made.
/// </summary>
public sealed record TaskStorageView(string Bucket, string? Original, string OriginalBucket, string? Result, string? Processed)
{
    public static TaskStorageView From(TaskRecord task, string bucket)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(
            bucket,
            task.Source?.Key ?? task.PayloadKey,
            task.Source?.Bucket ?? bucket,
            task.Status == DetectionTaskStatus.Completed ? Storage.PayloadKeys.Result(task.TaskId) : null,
            task.OutputImageKey);
    }
}

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
    CallbackState? Callback)
{
    /// <summary>The relative URL of a task, as the 202 answer and the Location header give it.</summary>
    public static string StatusUrl(string taskId) => "/api/task/" + taskId;

    public static TaskView From(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(
            task.TaskId, task.Model, task.Queue, task.Kind, task.Status, task.Progress, task.CreatedAt, task.StartedAt,
            task.CompletedAt, task.QueueTimeMs is { } q ? Math.Round(q, 2) : null, task.ProcessingTimeMs, task.Result,
            task.Error, task.Attempts, task.JobId, task.FileName,
            task.OutputImageKey is null ? null : StatusUrl(task.TaskId) + "/image",
            task.SourceUrl, task.Callback);
    }
}

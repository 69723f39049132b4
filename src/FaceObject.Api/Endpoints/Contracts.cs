using System.Text.Json;
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
    string? ImageUrl)
{
    public static TaskView From(TaskRecord task) => new(
        task.TaskId, task.Model, task.Queue, task.Kind, task.Status, task.Progress, task.CreatedAt, task.StartedAt,
        task.CompletedAt, task.QueueTimeMs is { } q ? Math.Round(q, 2) : null, task.ProcessingTimeMs, task.Result,
        task.Error, task.Attempts, task.JobId, task.FileName,
        task.OutputImageKey is null ? null : TaskEndpoints.StatusUrl(task.TaskId) + "/image");
}

/// <summary>
/// One configured model, as <c>GET /api/models</c> lists it: its configuration, and what the processes serving it
/// report they loaded. <see cref="Served"/> is false, <see cref="Device"/>, <see cref="Input"/> and
/// <see cref="Classes"/> null, and the thresholds the configured ones (null: the type's default) when no process
/// serves it. <see cref="Device"/> is <c>mixed</c> when servers report different providers.
/// </summary>
internal sealed record ModelView(
    string Key,
    string Queue,
    string Type,
    string File,
    bool Served,
    string? Device,
    string RequestedDevice,
    ModelInputView? Input,
    ModelClassesView? Classes,
    float? ScoreThreshold,
    float? NmsThreshold,
    ModelServerView[] Servers);

/// <summary>Model input size in pixels.</summary>
internal sealed record ModelInputView(int Width, int Height);

/// <summary>Class names by class id.</summary>
internal sealed record ModelClassesView(int Count, IReadOnlyList<string> Names);

/// <summary>One process serving a model, as it reported itself.</summary>
internal sealed record ModelServerView(string Server, string Device, int IntraOpThreads, int WorkerThreads, DateTimeOffset LoadedAt, DateTimeOffset ReportedAt);

/// <summary>One queue, as <c>GET /api/queues</c> lists it.</summary>
internal sealed record QueueView(string Name, long Enqueued, long Processing, int Servers, int Workers);

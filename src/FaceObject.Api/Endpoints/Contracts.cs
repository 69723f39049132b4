using FaceObject.Core.Tasks;

namespace FaceObject.Api.Endpoints;

/// <summary>The 202 answer to a submit (DESIGN.md).</summary>
internal sealed record TaskAccepted(string TaskId, DetectionTaskStatus Status, string Model, string Queue, string StatusUrl, DateTimeOffset CreatedAt)
{
    public static TaskAccepted From(TaskRecord task) =>
        new(task.TaskId, task.Status, task.Model, task.Queue, TaskEndpoints.StatusUrl(task.TaskId), task.CreatedAt);
}

/// <summary>
/// One configured model, as <c>GET /api/models</c> lists it: its configuration, and what the processes serving it
/// report they loaded. <see cref="Classes"/> are the class names by class id (<see cref="ClassCount"/> of them).
/// <see cref="Served"/> is false, <see cref="Device"/>, <see cref="Input"/> and the classes null, and the
/// thresholds the configured ones (null: the type's default) when no process serves it. <see cref="Device"/> is
/// <c>mixed</c> when servers report different providers.
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
    int? ClassCount,
    IReadOnlyList<string>? Classes,
    float? ScoreThreshold,
    float? NmsThreshold,
    ModelServerView[] Servers);

/// <summary>Model input size in pixels.</summary>
internal sealed record ModelInputView(int Width, int Height);

/// <summary>One process serving a model, as it reported itself.</summary>
internal sealed record ModelServerView(string Server, string Device, int IntraOpThreads, int WorkerThreads, DateTimeOffset LoadedAt, DateTimeOffset ReportedAt);

/// <summary>
/// One queue, as <c>GET /api/queues</c> lists it: Hangfire's live state (enqueued, processing, servers, workers)
/// and our task totals (completed, failed, cancelled since the store began, ended in the last minute).
/// </summary>
internal sealed record QueueView(
    string Name, long Enqueued, long Processing, int Servers, int Workers, long Completed, long Failed, long Cancelled, long EndedLastMinute);

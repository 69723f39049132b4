using FaceObject.Core.Tasks;

namespace FaceObject.Api.Endpoints;

/// <summary>The 202 answer to a submit (DESIGN.md).</summary>
internal sealed record TaskAccepted(string TaskId, DetectionTaskStatus Status, string Model, string Queue, string StatusUrl, DateTimeOffset CreatedAt)
{
    public static TaskAccepted From(TaskRecord task) =>
        new(task.TaskId, task.Status, task.Model, task.Queue, TaskEndpoints.StatusUrl(task.TaskId), task.CreatedAt);
}

/// <summary>One configured model, as <c>GET /api/models</c> lists it.</summary>
internal sealed record ModelView(string Key, string Queue, string Type, string Path, float? ScoreThreshold, float? NmsThreshold, string Device);

/// <summary>
/// One queue, as <c>GET /api/queues</c> lists it: Hangfire's live state (enqueued, processing, servers, workers)
/// and our task totals (completed, failed, cancelled since the store began, ended in the last minute).
/// </summary>
internal sealed record QueueView(
    string Name, long Enqueued, long Processing, int Servers, int Workers, long Completed, long Failed, long Cancelled, long EndedLastMinute);

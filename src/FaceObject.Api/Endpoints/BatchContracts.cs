using FaceObject.Core.Batches;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Endpoints;

/// <summary>The 202 answer to a batch submit: one task per accepted file, and why the others were refused.</summary>
internal sealed record BatchAccepted(
    string BatchId,
    string Model,
    string StatusUrl,
    DateTimeOffset CreatedAt,
    IReadOnlyList<BatchTaskAccepted> Tasks,
    IReadOnlyList<BatchRejection> Rejected)
{
    public static BatchAccepted From(BatchRecord batch) => new(
        batch.BatchId, batch.Model, BatchEndpoints.StatusUrl(batch.BatchId), batch.CreatedAt,
        batch.Tasks.Select(t => new BatchTaskAccepted(t.TaskId, t.Filename, TaskEndpoints.StatusUrl(t.TaskId))).ToList(),
        batch.Rejected);
}

internal sealed record BatchTaskAccepted(string TaskId, string? Filename, string StatusUrl);

/// <summary>
/// A batch as <c>GET /api/batch/{id}</c> sums it up. <c>counts</c> has every status, zeros included, plus
/// <c>deleted</c> for tasks that no longer exist; <c>finished</c> is true when no task is queued or processing.
/// </summary>
internal sealed record BatchView(
    string BatchId,
    string Model,
    DateTimeOffset CreatedAt,
    int Total,
    bool Finished,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<BatchTaskView> Tasks,
    IReadOnlyList<BatchRejection> Rejected);

/// <summary>One task of a batch with its current status (<c>deleted</c> when it no longer exists).</summary>
internal sealed record BatchTaskView(string TaskId, string? Filename, string Status, string StatusUrl)
{
    public const string Deleted = "deleted";

    public static string StatusName(DetectionTaskStatus status) => status.ToString().ToLowerInvariant();
}

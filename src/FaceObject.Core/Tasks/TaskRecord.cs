using System.Text.Json;

namespace FaceObject.Core.Tasks;

/// <summary>
/// Our own record of a task (not Hangfire's). Times are UTC. <see cref="Result"/> is the stored result JSON
/// (DESIGN.md image or video result) and is only set when <see cref="Status"/> is completed.
/// </summary>
public sealed record TaskRecord
{
    public required string TaskId { get; init; }

    public required string Model { get; init; }

    public required string Queue { get; init; }

    public required TaskKind Kind { get; init; }

    public DetectionTaskStatus Status { get; init; } = DetectionTaskStatus.Queued;

    /// <summary>0..1; images jump from 0 to 1, videos move frame by frame.</summary>
    public double Progress { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public double? ProcessingTimeMs { get; init; }

    public JsonElement? Result { get; init; }

    public string? Error { get; init; }

    /// <summary>The Hangfire job id, to find the task on the dashboard.</summary>
    public string? JobId { get; init; }

    /// <summary>How many times a worker has started this task (more than one after a worker died mid-job).</summary>
    public int Attempts { get; init; }

    public DetectionOptions Options { get; init; } = new();

    /// <summary>Payload store key of the uploaded bytes (or, for an image URL, of the bytes once a worker fetched them;
    /// null when the input is a <see cref="Source"/> object).</summary>
    public string? PayloadKey { get; init; }

    /// <summary>The <c>image_url</c> a worker fetches the input from, for tasks submitted by URL.</summary>
    public string? SourceUrl { get; init; }

    /// <summary>The callback asked for with <c>callback_url</c> and its delivery state; null when none was asked for.</summary>
    public CallbackState? Callback { get; init; }

    /// <summary>The client's own object the input is read from, for tasks submitted by <c>image_key</c>; never deleted by us.</summary>
    public Storage.ObjectReference? Source { get; init; }

    /// <summary>Payload store key of the annotated or blurred output image, when one was asked for and made.</summary>
    public string? OutputImageKey { get; init; }

    /// <summary>The client's file name, for display only; never used as a path.</summary>
    public string? FileName { get; init; }

    public string? BatchId { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public double? QueueTimeMs => StartedAt is { } started ? (started - CreatedAt).TotalMilliseconds : null;
}

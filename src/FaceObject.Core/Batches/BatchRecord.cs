namespace FaceObject.Core.Batches;

/// <summary>
/// Several files submitted at once: the tasks made for the accepted ones and why the others were refused. Task
/// states are not copied here; they are read from the tasks when the batch is asked for. Times are UTC.
/// </summary>
public sealed record BatchRecord
{
    public required string BatchId { get; init; }

    public required string Model { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>One task per accepted file, in upload order.</summary>
    public required IReadOnlyList<BatchEntry> Tasks { get; init; }

    /// <summary>The files that were refused, in upload order.</summary>
    public IReadOnlyList<BatchRejection> Rejected { get; init; } = [];
}

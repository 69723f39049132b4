namespace FaceObject.Core.Tasks;

/// <summary>What a worker may do with a task it was handed.</summary>
public enum StartOutcome
{
    /// <summary>The task is now processing by this attempt; run it.</summary>
    Started,

    /// <summary>It already ended (completed, failed, cancelled): a duplicate delivery, do nothing.</summary>
    AlreadyEnded,

    /// <summary>No such task (expired or deleted): do nothing.</summary>
    NotFound,

    /// <summary>Another worker is processing it under a live lease: leave it to that worker and look again later.</summary>
    Leased,
}

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
}

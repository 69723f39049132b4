namespace FaceObject.Core.Jobs;

/// <summary>Reads where a job waits in its queue, for clients asking about a queued task. Thread-safe.</summary>
public interface IQueueInspector
{
    /// <summary>
    /// The job's place in line, 1 being the next to be fetched; null when it is not waiting in that queue (already
    /// fetched, deleted, or unknown). Approximate: the queue moves while it is read, and a job handed back by a dead
    /// worker goes to the front.
    /// </summary>
    Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default);
}

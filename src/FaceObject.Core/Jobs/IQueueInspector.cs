namespace FaceObject.Core.Jobs;

/// <summary>Reads the job queues' state: depths, the servers and worker threads serving them, where a job waits. Thread-safe.</summary>
/// <remarks>Unreachable storage throws <see cref="Storage.StorageUnavailableException"/>.</remarks>
public interface IQueueInspector
{
    /// <summary>
    /// The job's place in line, 1 being the next to be fetched; null when it is not waiting in that queue (already
    /// fetched, deleted, or unknown). Approximate: the queue moves while it is read, and a job handed back by a dead
    /// worker goes to the front.
    /// </summary>
    Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Jobs waiting in <paramref name="queue"/>, not yet fetched by a worker.</summary>
    Task<long> GetDepthAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>For each of <paramref name="queues"/>, in that order: depth, jobs in hand, and the live servers and threads serving it.</summary>
    Task<IReadOnlyList<QueueLoad>> GetLoadsAsync(IEnumerable<string> queues, CancellationToken cancellationToken = default);
}

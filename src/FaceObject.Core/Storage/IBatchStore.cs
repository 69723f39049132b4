using FaceObject.Core.Batches;

namespace FaceObject.Core.Storage;

/// <summary>Batch records with a TTL, kept beside the tasks (Redis or memory). Records never change after creation. Thread-safe.</summary>
public interface IBatchStore
{
    Task CreateAsync(BatchRecord batch, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The batch, or null when it never existed or has expired.</summary>
    Task<BatchRecord?> GetAsync(string batchId, CancellationToken cancellationToken = default);
}

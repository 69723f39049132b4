using FaceObject.Core.Batches;
using FaceObject.Core.Storage;

namespace FaceObject.Storage.Memory;

/// <summary>Batch records in process memory with a TTL, for the all-in-one mode. Records are immutable, so they are shared as they are.</summary>
internal sealed class InMemoryBatchStore(TimeProvider clock) : IBatchStore
{
    private readonly ExpiringDictionary<BatchRecord> _batches = new(clock);

    public Task CreateAsync(BatchRecord batch, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _batches.Set(batch.BatchId, batch, timeToLive);
        return Task.CompletedTask;
    }

    public Task<BatchRecord?> GetAsync(string batchId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_batches.Get(batchId));
}

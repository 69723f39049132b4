namespace FaceObject.Core.Streams;

/// <summary>
/// The stream workers' side of <see cref="IStreamStore"/>: taking streams under a lease and writing what they read.
/// Every write carries the lease and is refused (false) once the lease is no longer held with that fence, so an owner
/// that lost its stream can never overwrite the new owner's state.
/// </summary>
public interface IStreamOwnership
{
    /// <summary>The ids of streams that nobody holds a lease on, oldest first.</summary>
    Task<IReadOnlyList<string>> ListUnownedAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes the stream for <paramref name="duration"/> unless someone holds it or it was deleted; null then.</summary>
    Task<StreamLease?> TryAcquireAsync(string streamId, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when it was lost (expired and taken, or the stream was deleted): stop reading at once.</summary>
    Task<bool> RenewAsync(StreamLease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the stream up so another worker takes it at once (a graceful stop).</summary>
    Task ReleaseAsync(StreamLease lease, CancellationToken cancellationToken = default);

    /// <summary>Stores the status, and tells followers when <paramref name="announce"/> (a change of state, not just fresher figures); false when the lease is lost.</summary>
    Task<bool> WriteStatusAsync(StreamLease lease, StreamStatus status, bool announce, CancellationToken cancellationToken = default);

    /// <summary>Sends a frame result or track event to followers; false when the lease is lost.</summary>
    Task<bool> PublishAsync(StreamLease lease, StreamMessage message, CancellationToken cancellationToken = default);

    /// <summary>Stores the latest frame, plain and annotated, for <see cref="IStreamStore.GetFrameAsync"/>; false when the lease is lost.</summary>
    Task<bool> PutFrameAsync(StreamLease lease, StreamFrameImage plain, StreamFrameImage annotated, CancellationToken cancellationToken = default);

    /// <summary>Wakes when streams are added, released or deleted, so idle workers claim new streams at once instead of at their next poll.</summary>
    Task<IAsyncDisposable> OnChangeAsync(Func<ValueTask> onChange, CancellationToken cancellationToken = default);
}

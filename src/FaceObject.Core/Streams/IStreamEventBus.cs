namespace FaceObject.Core.Streams;

/// <summary>
/// Fans stream messages out to every process that follows the stream: Redis pub/sub when Redis is configured, in-process
/// otherwise. At most once: a follower that is not listening when a message goes out never sees it; the latest status
/// and frame are always readable from <see cref="IStreamStore"/>.
/// </summary>
public interface IStreamEventBus
{
    /// <summary>Calls <paramref name="onMessage"/> for each message of <paramref name="streamId"/> until the result is disposed. Calls for one subscription never overlap.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string streamId, Func<StreamMessage, ValueTask> onMessage, CancellationToken cancellationToken = default);
}

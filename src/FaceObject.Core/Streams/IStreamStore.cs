namespace FaceObject.Core.Streams;

/// <summary>
/// The streams and who follows them, shared by every API replica and stream worker. One stream per camera
/// (<see cref="StreamSpec.SourceKey"/>). Thread-safe.
/// </summary>
public interface IStreamStore
{
    /// <summary>
    /// Adds the stream, or joins the one already reading the same camera when it detects the same way. A REST add of a
    /// camera that subscriptions made makes that stream a REST one, so it outlives its subscribers.
    /// </summary>
    Task<StreamAddResult> AddAsync(StreamSpec spec, CancellationToken cancellationToken = default);

    Task<StreamView?> GetAsync(string streamId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StreamView>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the stream; its owner stops reading within a second and followers get <see cref="StreamMessageKind.Deleted"/>.</summary>
    Task<bool> DeleteAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="subscriber"/> (unique per WebSocket subscription, e.g. <c>{replica}:{connection}:{subscriptionIdentifier}</c>)
    /// follows the stream. Subscribers not refreshed within <c>Streams:SubscriberTimeout</c> count as gone, so a
    /// replica that dies does not keep its streams alive.
    /// </summary>
    Task AttachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default);

    /// <summary>Keeps the given subscribers alive; call more often than the subscriber timeout.</summary>
    Task RefreshAsync(IReadOnlyCollection<(string StreamId, string Subscriber)> subscriptions, CancellationToken cancellationToken = default);

    /// <summary>Drops a subscriber; a stream made by subscriptions is deleted with its last live one. Returns whether the stream was deleted.</summary>
    Task<bool> DetachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the session a follower set (<c>setSessionId</c>), which the pipeline runs the stream starts from then on
    /// carry as <c>{session_id}</c>; the last one set wins. Nothing happens when the stream does not exist.
    /// </summary>
    Task SetSessionAsync(string streamId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>The session last set for the stream, or null.</summary>
    Task<string?> GetSessionAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>The latest frame the owner stored, as JPEG, plain or with boxes and track ids drawn; null before the first one.</summary>
    Task<StreamFrameImage?> GetFrameAsync(string streamId, bool annotated, CancellationToken cancellationToken = default);
}

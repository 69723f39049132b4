namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Reads one camera in the background with latest-frame semantics: one slot holds the newest decoded frame, and a
/// frame replaced before it was taken is counted as skipped, so a slow consumer never falls behind. Reconnects on
/// its own (watchdog and back-off) until disposed or <see cref="CameraState.Failed"/>. Made by
/// <see cref="CameraReaderFactory"/>. Status and events are thread-safe; <see cref="NextFrameAsync"/> is meant for
/// one consumer at a time.
/// </summary>
public interface ICameraReader : IAsyncDisposable
{
    CameraSource Source { get; }

    /// <summary>A consistent snapshot of the reader's state and figures.</summary>
    CameraStatus Status { get; }

    /// <summary>
    /// Raised on every state change, on the reader's own thread: handlers must be quick and must not block (hand
    /// the change to a channel). A handler's exception is logged and ignored.
    /// </summary>
    event EventHandler<CameraStateChange>? StateChanged;

    /// <summary>
    /// Waits for a frame newer than the last one taken and hands it over (the caller disposes it). Throws
    /// <see cref="CameraFailedException"/> once the reader has failed, <see cref="ObjectDisposedException"/> once it
    /// is disposed, and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    ValueTask<CameraFrame> NextFrameAsync(CancellationToken cancellationToken);
}

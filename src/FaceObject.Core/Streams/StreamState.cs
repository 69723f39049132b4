namespace FaceObject.Core.Streams;

/// <summary>Where a stream's reader is. <see cref="Failed"/> is final: the source can never work as given (not video, refused, gone).</summary>
public enum StreamState
{
    /// <summary>Waiting for an owner, or the owner is opening the source for the first time.</summary>
    Connecting,
    Live,

    /// <summary>Frames stopped for longer than the stall timeout; the reader is being restarted.</summary>
    Stalled,
    Reconnecting,
    Failed,
}

namespace FaceObject.Streaming.Cameras;

/// <summary>Where a camera reader stands; the API shows it in camelCase (<c>connecting</c>, <c>live</c>...).</summary>
public enum CameraState
{
    /// <summary>The first connection is being made; no frame yet.</summary>
    Connecting,

    /// <summary>Frames are arriving.</summary>
    Live,

    /// <summary>No frame for <c>Streams:StallTimeout</c>: the reader is being killed, a reconnect follows.</summary>
    Stalled,

    /// <summary>Waiting out the back-off or connecting again after a stall or a dropped connection.</summary>
    Reconnecting,

    /// <summary>The source can never work (not video, unsupported codec, HTTP 4xx, refused by policy): no more retries.</summary>
    Failed,
}

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// A snapshot of a reader's figures. <see cref="CameraFps"/> is measured over the last few seconds of received
/// frames. <see cref="FramesSkipped"/> counts frames overwritten in the latest-frame slot before the consumer took
/// them. Width and height are of the last frame (0 before the first).
/// </summary>
public sealed record CameraStatus(
    CameraState State,
    double CameraFps,
    long FramesReceived,
    long FramesSkipped,
    int ReconnectCount,
    string? LastError,
    DateTimeOffset? LastFrameAt,
    int Width,
    int Height);

namespace FaceObject.Core.Streams;

/// <summary>A stream's reader as its owner last reported it.</summary>
/// <param name="State">Where the reader is.</param>
/// <param name="Owner">The worker process reading it (<c>{machine}:{pid}:{random}</c>), or null while it has none.</param>
/// <param name="CameraFps">Frames a second the camera delivered, over the last few seconds.</param>
/// <param name="ProcessedFps">Frames a second detected.</param>
/// <param name="SkippedFps">Frames a second dropped because a newer one arrived before detection was free.</param>
/// <param name="LastFrameAt">When the newest frame arrived.</param>
/// <param name="Reconnects">How many times the reader was restarted.</param>
/// <param name="LastError">The last thing that went wrong, in plain words.</param>
/// <param name="FrameWidth">Frame width in pixels, once known.</param>
/// <param name="FrameHeight">Frame height in pixels, once known.</param>
/// <param name="UpdatedAt">When the owner wrote this.</param>
public sealed record StreamStatus(
    StreamState State,
    string? Owner,
    double CameraFps,
    double ProcessedFps,
    double SkippedFps,
    DateTimeOffset? LastFrameAt,
    long Reconnects,
    string? LastError,
    int? FrameWidth,
    int? FrameHeight,
    DateTimeOffset UpdatedAt)
{
    public static StreamStatus Unowned(DateTimeOffset now) => new(StreamState.Connecting, null, 0, 0, 0, null, 0, null, null, null, now);
}

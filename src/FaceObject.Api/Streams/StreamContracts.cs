using FaceObject.Core.Streams;

namespace FaceObject.Api.Streams;

/// <summary>
/// <c>POST /api/streams</c>: a camera to read and how to detect it. <see cref="Kind"/> defaults from the scheme (rtsp for
/// rtsp/rtsps, mjpeg for http/https); a crop takes all four corners or none.
/// </summary>
internal sealed record CreateStreamRequest(
    string? Url,
    string? Kind,
    string? Model,
    double? Fps,
    int? CropX1,
    int? CropY1,
    int? CropX2,
    int? CropY2,
    int? StableFrames,
    float? StableMedianScore,
    string? CallbackUrl);

/// <summary>A stream as the API shows it; the URL's password is never shown.</summary>
internal sealed record StreamResource(
    string Id,
    string Url,
    StreamSourceKind Kind,
    string Model,
    string? Pipeline,
    double Fps,
    CropRegion? Crop,
    int StableFrames,
    float StableMedianScore,
    StreamOrigin Origin,
    DateTimeOffset CreatedAt,
    StreamStatusResource Status,
    string FrameUrl,
    string EventsUrl)
{
    public static StreamResource From(StreamView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var spec = view.Spec;
        return new StreamResource(spec.Id, spec.RedactedUrl, spec.Kind, spec.Model, spec.Pipeline, spec.Fps, spec.Crop, spec.Stability.Frames, spec.Stability.MedianScore,
            spec.Origin, spec.CreatedAt, StreamStatusResource.From(view.Status), $"/api/streams/{spec.Id}/frame", $"/api/streams/{spec.Id}/events");
    }
}

/// <summary>A stream's reader: state, figures and the last error, as its owner last wrote them.</summary>
internal sealed record StreamStatusResource(
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
    public static StreamStatusResource From(StreamStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(status.State, status.Owner, status.CameraFps, status.ProcessedFps, status.SkippedFps, status.LastFrameAt, status.Reconnects,
            status.LastError, status.FrameWidth, status.FrameHeight, status.UpdatedAt);
    }
}

using Prometheus;

namespace FaceObject.Streaming.Runtime;

/// <summary>Prometheus metrics of a stream worker, per stream id; names are documented in docs/streams.md.</summary>
internal static class StreamMetrics
{
    public static readonly Gauge CameraFps = Metrics.CreateGauge(
        "faceobject_stream_camera_fps", "Frames a second the camera delivers.", "stream");

    public static readonly Gauge ProcessedFps = Metrics.CreateGauge(
        "faceobject_stream_processed_fps", "Frames a second detected.", "stream");

    public static readonly Counter SkippedFrames = Metrics.CreateCounter(
        "faceobject_stream_skipped_frames_total", "Frames dropped because a newer one arrived before detection was free.", "stream");

    public static readonly Counter Reconnects = Metrics.CreateCounter(
        "faceobject_stream_reconnects_total", "Times a stream's reader was restarted.", "stream");

    public static readonly Gauge Owned = Metrics.CreateGauge(
        "faceobject_streams_owned", "Streams this worker reads now.");

    public static readonly Histogram FrameToEvent = Metrics.CreateHistogram(
        "faceobject_stream_frame_to_event_seconds", "Time from a frame's arrival (decoded) to its detections being published to followers.",
        new HistogramConfiguration { LabelNames = ["stream"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });

    public static void Remove(string streamId)
    {
        CameraFps.RemoveLabelled(streamId);
        ProcessedFps.RemoveLabelled(streamId);
        SkippedFrames.RemoveLabelled(streamId);
        Reconnects.RemoveLabelled(streamId);
        FrameToEvent.RemoveLabelled(streamId);
    }
}

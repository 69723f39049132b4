using Prometheus;

namespace FaceObject.Api.Streams;

/// <summary>What the WebSocket had to give up, for operators: a growing count means clients read too slowly.</summary>
internal static class StreamSocketMetrics
{
    public static readonly Counter DroppedDetections = Metrics.CreateCounter(
        "faceobject_stream_socket_dropped_detections_total",
        "imageDetection messages dropped (oldest first) because a WebSocket client read more slowly than its streams detect.");
}

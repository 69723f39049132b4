namespace FaceObject.Core.Streams;

/// <summary>How a camera is read: an RTSP session, an HTTP MJPEG (<c>multipart/x-mixed-replace</c>) stream, or one JPEG per HTTP GET.</summary>
public enum StreamSourceKind
{
    Rtsp,
    Mjpeg,
    Snapshot,
}

namespace FaceObject.Streaming.Cameras;

/// <summary>How a camera is read.</summary>
public enum CameraSourceKind
{
    /// <summary><c>rtsp://</c> or <c>rtsps://</c>, read by ffmpeg as a child process (TCP transport).</summary>
    Rtsp,

    /// <summary>HTTP(S) <c>multipart/x-mixed-replace</c> of JPEG parts, read in process.</summary>
    Mjpeg,

    /// <summary>HTTP(S) URL answering one image per GET, polled at the stream's fps.</summary>
    Snapshot,
}

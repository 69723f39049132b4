using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// One decoded frame, owned by whoever took it from <see cref="ICameraReader.NextFrameAsync"/>, who disposes it.
/// <see cref="Image"/> is 8-bit BGR (CV_8UC3) in the camera's own pixels. <see cref="Sequence"/> numbers the frames a
/// reader received (from 1, across reconnects; gaps are skipped frames). <see cref="CapturedAt"/> is when the frame
/// was fully received.
/// </summary>
public sealed class CameraFrame(Mat image, long sequence, DateTimeOffset capturedAt) : IDisposable
{
    public Mat Image { get; } = image;

    public long Sequence { get; } = sequence;

    public DateTimeOffset CapturedAt { get; } = capturedAt;

    public void Dispose() => Image.Dispose();
}

using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// One way of getting frames from a camera (ffmpeg child process, MJPEG parser, snapshot polling). The reader
/// supervises it: one <see cref="RunAsync"/> per connection attempt, cancelled on a stall or disposal.
/// </summary>
internal interface IFrameSource
{
    /// <summary>
    /// Connects and calls <paramref name="onFrame"/> with each decoded 8-bit BGR frame (ownership passes to the
    /// callee) until the stream ends (returns) or fails (throws, preferably <see cref="CameraSourceException"/>).
    /// Must stop promptly and release everything (processes, sockets) when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken);
}

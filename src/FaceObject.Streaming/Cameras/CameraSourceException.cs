namespace FaceObject.Streaming.Cameras;

/// <summary>
/// A frame source's attempt ended with an error the reader can explain. <see cref="Permanent"/>: the source can
/// never work (not video, unsupported codec, HTTP 4xx); the reader gives up when that happens before its first
/// frame, and retries otherwise (a camera that once streamed may come back).
/// </summary>
internal sealed class CameraSourceException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

namespace FaceObject.Inference.Video;

/// <summary>The bytes are not a video OpenCV can open and decode; retrying cannot help.</summary>
public sealed class VideoDecodeException : Exception
{
    public VideoDecodeException()
    {
    }

    public VideoDecodeException(string message)
        : base(message)
    {
    }

    public VideoDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

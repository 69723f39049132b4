namespace FaceObject.Streaming.Runtime;

/// <summary>A stream that can never be detected as asked (e.g. its crop lies outside the camera's frames); it ends <c>failed</c> with this message.</summary>
public sealed class StreamFailedException : Exception
{
    public StreamFailedException()
    {
    }

    public StreamFailedException(string message)
        : base(message)
    {
    }

    public StreamFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

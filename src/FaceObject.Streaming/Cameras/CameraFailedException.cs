namespace FaceObject.Streaming.Cameras;

/// <summary>The camera can never be read (its reader is <see cref="CameraState.Failed"/>); the message says why in plain words.</summary>
public sealed class CameraFailedException : Exception
{
    public CameraFailedException()
    {
    }

    public CameraFailedException(string message)
        : base(message)
    {
    }

    public CameraFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

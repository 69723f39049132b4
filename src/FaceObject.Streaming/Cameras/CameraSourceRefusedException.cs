namespace FaceObject.Streaming.Cameras;

/// <summary>
/// A camera URL the policy (<c>Streams:AllowedSources</c>) refuses. The message says which address was wrong and
/// what is accepted, for the client. Permanent: retrying cannot help.
/// </summary>
public sealed class CameraSourceRefusedException : Exception
{
    public CameraSourceRefusedException()
    {
    }

    public CameraSourceRefusedException(string message)
        : base(message)
    {
    }

    public CameraSourceRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

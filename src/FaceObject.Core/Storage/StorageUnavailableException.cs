namespace FaceObject.Core.Storage;

/// <summary>The task or payload store cannot be reached; the API maps it to 503, Hangfire retries jobs that hit it.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

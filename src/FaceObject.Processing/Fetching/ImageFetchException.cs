namespace FaceObject.Processing.Fetching;

/// <summary>
/// Fetching an image URL failed in a way that may pass (a timeout, a refused connection, a 5xx): Hangfire retries
/// the job. Errors no retry can fix fail the task at once instead (see <see cref="FetchedImage"/>).
/// </summary>
public sealed class ImageFetchException : Exception
{
    public ImageFetchException()
    {
    }

    public ImageFetchException(string message)
        : base(message)
    {
    }

    public ImageFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace FaceObject.Processing.Callbacks;

/// <summary>
/// A callback will not be delivered: its attempts are used up or its address is refused. The task record already
/// says so; Hangfire records the job as failed without retrying. Any other exception from the callback job is retried.
/// </summary>
public sealed class CallbackFailedException : Exception
{
    public CallbackFailedException()
    {
    }

    public CallbackFailedException(string message)
        : base(message)
    {
    }

    public CallbackFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

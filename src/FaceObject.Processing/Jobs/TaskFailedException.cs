namespace FaceObject.Processing.Jobs;

/// <summary>
/// A task failed for a reason no retry can fix (bytes that do not decode, a missing payload). The task record is
/// already marked failed when this is thrown; Hangfire records the job as failed without retrying it.
/// </summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException()
    {
    }

    public TaskFailedException(string message)
        : base(message)
    {
    }

    public TaskFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

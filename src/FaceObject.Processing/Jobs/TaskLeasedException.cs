namespace FaceObject.Processing.Jobs;

/// <summary>
/// This delivery of a job found its task processing under another worker's live lease (the queue handed the job
/// out again, typically after its invisibility timeout). <see cref="LeaseBackoffFilter"/> turns it into a
/// reschedule after <see cref="RetryAfter"/>, not a failure or a counted retry.
/// </summary>
public sealed class TaskLeasedException : Exception
{
    public TaskLeasedException()
    {
    }

    public TaskLeasedException(string message)
        : base(message)
    {
    }

    public TaskLeasedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TaskLeasedException(string taskId, TimeSpan retryAfter)
        : base($"Task {taskId} is processing on another worker under a live lease; this delivery looks again in {retryAfter.TotalSeconds:F0} s.")
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan RetryAfter { get; }
}

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The task's input can never succeed (bytes that do not decode, options the model cannot honour). Thrown by the
/// pipelines; the job marks the task failed with this message for the client and does not retry.
/// </summary>
public sealed class TaskInputException : Exception
{
    public TaskInputException()
    {
    }

    public TaskInputException(string message)
        : base(message)
    {
    }

    public TaskInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace FaceObject.Core.Jobs;

/// <summary>
/// The Hangfire job that runs a model on a task's payload. Its type and method names are stored in job data
/// (a contract between the API and every deployed worker): do not rename them.
/// </summary>
public interface IDetectionJob
{
    /// <summary>Runs the task. Re-entrant: a task that already ended is left as it is.</summary>
    /// <param name="taskId">The task record's id; the job carries nothing else.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    Task RunAsync(string taskId, CancellationToken cancellationToken);
}

using System.Runtime.ExceptionServices;
using FaceObject.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The detection job: its own task, then each task that joined it while its queue was backed up (<see cref="JobBundle"/>).
/// In a bundle one task never holds up the others: a task that failed for good has its record failed already, and any
/// other error is rethrown once every task has had its turn, so Hangfire retries the job and the re-run skips the
/// tasks that ended. A shutdown stops the bundle at once; the job goes back to its queue and resumes the same way.
/// </summary>
internal sealed partial class DetectionJob(TaskDetection detection, JobBundle bundle, ILogger<DetectionJob> logger) : IDetectionJob
{
    public async Task RunAsync(string taskId, CancellationToken cancellationToken)
    {
        if (bundle.Tasks.Count == 0)
        {
            await detection.RunAsync(taskId, cancellationToken);
            return;
        }

        ExceptionDispatchInfo? retry = null;
        foreach (var id in bundle.Tasks.Prepend(taskId))
        {
            try
            {
                await detection.RunAsync(id, cancellationToken);
            }
            catch (TaskFailedException e)
            {
                LogBundledTaskFailed(id, taskId, e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogBundledTaskRetry(id, taskId, e.Message);
                retry ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        retry?.Throw();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} (bundled with {JobTaskId}) failed: {Reason}")]
    private partial void LogBundledTaskFailed(string taskId, string jobTaskId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} (bundled with {JobTaskId}) will be retried with its job: {Reason}")]
    private partial void LogBundledTaskRetry(string taskId, string jobTaskId, string reason);
}

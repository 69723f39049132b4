using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using Hangfire.Common;
using Hangfire.States;
using FaceObject.Processing.Telemetry;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// When Hangfire gives up on a detection job (retries used up, or a non-retryable error), the task record is
/// marked failed with the reason, so no task waits as "processing" for a job that will never run again.
/// </summary>
internal sealed class TaskFailureFilter(ITaskStore tasks, IPayloadStore payloads, TimeProvider clock, ILogger<TaskFailureFilter> logger)
    : JobFilterAttribute, IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is not FailedState failed
            || context.BackgroundJob.Job?.Type != typeof(IDetectionJob)
            || context.BackgroundJob.Job.Args is not [string taskId, ..])
        {
            return;
        }

        var reason = failed.Exception is TaskFailedException
            ? failed.Exception.Message
            : $"Processing failed after retries: {failed.Exception.Message}";

        // Hangfire's filter API is synchronous; these are small store calls on a worker thread, on failures only.
        var failedNow = tasks.TryFailAsync(taskId, reason, clock.GetUtcNow()).GetAwaiter().GetResult();
        if (tasks.GetAsync(taskId).GetAwaiter().GetResult() is { } task)
        {
            if (failedNow)
            {
                ProcessingMetrics.Failed.WithLabels(task.Model).Inc();
            }

            PayloadRetention.ReleaseAsync(payloads, task, logger).GetAwaiter().GetResult();
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}

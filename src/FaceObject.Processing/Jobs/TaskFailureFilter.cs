using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using Hangfire.Common;
using Hangfire.States;
using FaceObject.Processing.Telemetry;
using Hangfire.Storage;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// When Hangfire gives up on a detection job or a step of a pipeline run (retries used up, or a non-retryable error), the task record is
/// marked failed with the reason, so no task waits as "processing" for a job that will never run again, and its
/// callback (if it asked for one) is enqueued. A bundled job's tasks are all failed, except those that already ended.
/// </summary>
internal sealed class TaskFailureFilter(ITaskStore tasks, IJobScheduler scheduler, PayloadRetention retention, TimeProvider clock)
    : JobFilterAttribute, IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is not FailedState failed
            || (context.BackgroundJob.Job?.Type != typeof(IDetectionJob) && context.BackgroundJob.Job?.Type != typeof(IPipelineJob))
            || context.BackgroundJob.Job.Args is not [string taskId, ..])
        {
            return;
        }

        var reason = failed.Exception is TaskFailedException
            ? failed.Exception.Message
            : $"Processing failed after retries: {failed.Exception.Message}";

        foreach (var id in JobBundle.Read(context.BackgroundJob.ParametersSnapshot).Prepend(taskId))
        {
            Fail(id, reason);
        }
    }

    private void Fail(string taskId, string reason)
    {
        // Hangfire's filter API is synchronous; these are small store calls on a worker thread, on failures only.
        var failedNow = tasks.TryFailAsync(taskId, reason, clock.GetUtcNow()).GetAwaiter().GetResult();
        if (tasks.GetAsync(taskId).GetAwaiter().GetResult() is { } task)
        {
            if (failedNow)
            {
                ProcessingMetrics.Failed.WithLabels(task.Model).Inc();
                scheduler.EnqueueCallbackIfAsked(task);
            }

            retention.ReleaseAsync(task).GetAwaiter().GetResult();
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}

using FaceObject.Core.Jobs;
using FaceObject.Storage.Hangfire.HotPath;
using Hangfire;
using Hangfire.States;

namespace FaceObject.Storage.Hangfire;

/// <summary>
/// Enqueues against the <see cref="IDetectionJob"/> interface, so job data names Core's type and never the worker's.
/// With Redis, a task may join a waiting job instead (<see cref="JobBundler"/>).
/// </summary>
internal sealed class HangfireJobScheduler(IBackgroundJobClient client, JobStorage storage, JobBundler? bundler = null) : IJobScheduler
{
    public string EnqueueDetection(string queue, string taskId) =>
        bundler?.TryJoin(queue, taskId)
        ?? client.Enqueue<IDetectionJob>(queue, job => job.RunAsync(taskId, CancellationToken.None));

    public string EnqueueCallback(string taskId) =>
        client.Enqueue<ICallbackJob>(QueueNames.Callbacks, job => job.DeliverAsync(taskId, CancellationToken.None));

    public string EnqueueStreamCallback(string streamId, string eventName, Uri url, string body)
    {
        ArgumentNullException.ThrowIfNull(url);
        return client.Enqueue<IStreamCallbackJob>(QueueNames.Callbacks, job => job.DeliverAsync(streamId, eventName, url.AbsoluteUri, body, CancellationToken.None));
    }

    public string EnqueuePipelineAdvance(string taskId) =>
        client.Enqueue<IPipelineJob>(QueueNames.Pipelines, job => job.AdvanceAsync(taskId, CancellationToken.None));

    public string EnqueuePipelineStage(string queue, string taskId, string stage) =>
        client.Enqueue<IPipelineJob>(queue, job => job.RunStageAsync(taskId, stage, CancellationToken.None));

    public string SchedulePipelineStageTimeout(string taskId, string stage, TimeSpan delay) =>
        client.Schedule<IPipelineJob>(QueueNames.Pipelines, job => job.ExpireStageAsync(taskId, stage, CancellationToken.None), delay);

    public bool TryCancel(string jobId)
    {
        using var connection = storage.GetConnection();
        var queue = connection.GetJobData(jobId)?.Job?.Queue;
        if (bundler is not null && queue is not null)
        {
            // Off the queue first, in one script that refuses a bundle: then no task can join a job being deleted.
            return bundler.TakeForCancel(queue, jobId) switch
            {
                CancelTake.Bundle => true,
                CancelTake.Taken => client.ChangeState(jobId, new DeletedState(), EnqueuedState.StateName),
                _ => false,
            };
        }

        if (!client.ChangeState(jobId, new DeletedState(), EnqueuedState.StateName))
        {
            return false;
        }

        // Deleting changes the job's state only; Redis storage leaves its id in the queue list until a worker
        // fetches and skips it, so queue depth (and autoscaling on it) would count cancelled work. The queue is
        // the list "queue:{name}" in Redis storage's namespace; storages that keep queues elsewhere ignore this.
        if (queue is not null)
        {
            using var transaction = connection.CreateWriteTransaction();
            transaction.RemoveFromList("queue:" + queue, jobId);
            transaction.Commit();
        }

        return true;
    }
}

using FaceObject.Core.Jobs;
using Hangfire;
using Hangfire.States;

namespace FaceObject.Storage.Hangfire;

/// <summary>Enqueues against the <see cref="IDetectionJob"/> interface, so job data names Core's type and never the worker's.</summary>
internal sealed class HangfireJobScheduler(IBackgroundJobClient client, JobStorage storage) : IJobScheduler
{
    public string EnqueueDetection(string queue, string taskId) =>
        client.Enqueue<IDetectionJob>(queue, job => job.RunAsync(taskId, CancellationToken.None));

    public string EnqueueCallback(string taskId) =>
        client.Enqueue<ICallbackJob>(QueueNames.Callbacks, job => job.DeliverAsync(taskId, CancellationToken.None));

    public string EnqueueStreamCallback(string streamId, string eventName, Uri url, string body)
    {
        ArgumentNullException.ThrowIfNull(url);
        return client.Enqueue<IStreamCallbackJob>(QueueNames.Callbacks, job => job.DeliverAsync(streamId, eventName, url.AbsoluteUri, body, CancellationToken.None));
    }

    public bool TryCancel(string jobId)
    {
        using var connection = storage.GetConnection();
        var queue = connection.GetJobData(jobId)?.Job?.Queue;
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

using Hangfire.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// A job in a worker's hands. Normally acknowledged inside the transaction that ends it
/// (<see cref="HotPathTransaction.RemoveFromQueue"/>), so there is no moment when the job is in no list and not yet
/// in its final state; acknowledging it afterwards (Hangfire calls <see cref="RemoveFromQueue"/> again) is then free.
/// </summary>
internal sealed class HotPathFetchedJob(IDatabase redis, HangfireKeys keys, string jobId, string queue, string fetchedAt) : IFetchedJob
{
    private bool _acknowledged;
    private bool _requeued;

    public string JobId { get; } = jobId;

    public string Queue { get; } = queue;

    /// <summary>The <c>Fetched</c> value this fetch wrote; the job is only ours while it is still there.</summary>
    public string FetchedAt { get; } = fetchedAt;

    /// <summary>Called once a transaction that acknowledged this job has committed.</summary>
    public void MarkAcknowledged() => _acknowledged = true;

    public void RemoveFromQueue()
    {
        if (_acknowledged)
        {
            return;
        }

        redis.ScriptEvaluate(HotPathScripts.Acknowledge, [keys.Dequeued(Queue), keys.Job(JobId), keys.FetchedBy(Queue)], [JobId, FetchedAt]);
        _acknowledged = true;
    }

    public void Requeue()
    {
        redis.ScriptEvaluate(HotPathScripts.Requeue, [keys.Dequeued(Queue), keys.Job(JobId), keys.Queue(Queue), keys.FetchedBy(Queue)],
            [JobId, FetchedAt, keys.QueueNotices(Queue).ToString()]);
        _requeued = true;
    }

    public void Dispose()
    {
        if (!_acknowledged && !_requeued)
        {
            Requeue();
        }
    }
}

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
    /// <summary>How long a job that could not be given back is retried; beyond it, Hangfire's invisibility timeout takes over.</summary>
    private static readonly TimeSpan RequeueRetryLimit = TimeSpan.FromMinutes(10);

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
        redis.ScriptEvaluate(HotPathScripts.Requeue, [keys.Dequeued(Queue), keys.Job(JobId), keys.Queue(Queue), keys.FetchedBy(Queue), keys.Bundled(Queue)],
            [JobId, FetchedAt, keys.QueueNotices(Queue).ToString()]);
        _requeued = true;
    }

    public void Dispose()
    {
        if (_acknowledged || _requeued)
        {
            return;
        }

        try
        {
            Requeue();
        }
        catch (Exception e) when (StorageFaults.IsRedisFault(e))
        {
            // Redis is down as the worker gives the job back (its state could not be changed either). The job stays
            // in the fetched list under this live process, which no sweeper recovers before the invisibility timeout
            // (30 minutes): keep trying to put it back until Redis answers.
            _ = RequeueWhenRedisIsBackAsync();
        }
    }

    /// <summary>Retries <see cref="Requeue"/> every second for up to <see cref="RequeueRetryLimit"/>; the script puts the job back at most once.</summary>
    private async Task RequeueWhenRedisIsBackAsync()
    {
        var deadline = DateTime.UtcNow + RequeueRetryLimit;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            try
            {
                Requeue();
                return;
            }
            catch (Exception e) when (StorageFaults.IsRedisFault(e))
            {
                // Still down.
            }
        }
    }
}

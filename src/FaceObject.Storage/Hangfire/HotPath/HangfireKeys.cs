using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// The names Hangfire.Redis.StackExchange 1.12 gives its keys, under <c>Hangfire:Prefix</c>. The hot path writes the
/// same keys the library does, so its dashboard and monitoring API read exactly what they read before;
/// <c>HotPathLayoutTests</c> compares both storages key by key and fails when a library upgrade changes the layout.
/// </summary>
internal sealed class HangfireKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    /// <summary>The library's own name for a key, for the operations Hangfire names by string (<c>"job:{id}:history"</c>).</summary>
    public RedisKey Of(string key) => Prefix + key;

    public RedisKey Job(string jobId) => Prefix + "job:" + jobId;

    /// <summary>Prefix of every job hash, for scripts that name jobs they only learn about inside Redis.</summary>
    public string JobPrefix => Prefix + "job:";

    public RedisKey JobState(string jobId) => Prefix + "job:" + jobId + ":state";

    public RedisKey JobHistory(string jobId) => Prefix + "job:" + jobId + ":history";

    /// <summary>What <c>AcquireDistributedJobLock</c> locks: the resource <c>job:{id}:state-lock</c>.</summary>
    public RedisKey JobStateLock(string jobId) => Prefix + "job:" + jobId + ":state-lock";

    public RedisKey Queue(string queue) => Prefix + "queue:" + queue;

    /// <summary>The jobs fetched from <paramref name="queue"/> and not yet acknowledged.</summary>
    public RedisKey Dequeued(string queue) => Prefix + "queue:" + queue + ":dequeued";

    /// <summary>
    /// Ours: which process fetched each job of <paramref name="queue"/>'s fetched list (job id to
    /// <see cref="Liveness.ProcessInstance.Id"/>). Kept apart from the job hash so the dashboard shows jobs as before.
    /// </summary>
    public RedisKey FetchedBy(string queue) => Prefix + "queue:" + queue + ":fetched-by";

    /// <summary>
    /// Ours: how many tasks ride in <paramref name="queue"/>'s waiting jobs beyond each job's own (bundled tasks), so
    /// depths and positions count tasks. Approximate (a retried bundle re-enqueued by Hangfire is not added back);
    /// it is cleared whenever the queue empties, so an error never outlives a backlog.
    /// </summary>
    public RedisKey Bundled(string queue) => Prefix + "queue:" + queue + ":bundled";

    /// <summary>The set of queue names, which the dashboard lists.</summary>
    public RedisKey Queues => Prefix + "queues";

    /// <summary>
    /// Our per-queue new-job notices. The library announces every job (and every acknowledgement) on one channel
    /// shared by all queues, which woke every idle worker thread of every queue; a notice here wakes one thread
    /// that serves this queue.
    /// </summary>
    public RedisChannel QueueNotices(string queue) => RedisChannel.Literal(Prefix + "JobFetchChannel:" + queue);

    /// <summary>The job's id from the name of its state lock, or null for any other resource.</summary>
    public static string? JobIdOfStateLock(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal) && resource.Length > 15
            ? resource[4..^11]
            : null;
}

using System.ComponentModel.DataAnnotations;
using Hangfire.Redis.StackExchange;

namespace FaceObject.Storage.Hangfire;

/// <summary><c>Hangfire:*</c>: the Redis layout of Hangfire's own data.</summary>
public sealed class HangfireStorageOptions
{
    public const string Section = "Hangfire";

    /// <summary>Key prefix of Hangfire's data; queue <c>face</c> lives in the list <c>{Prefix}queue:face</c>.</summary>
    [Required]
    public string Prefix { get; set; } = "{hangfire}:";

    /// <summary>
    /// How long a fetched job may stay unacknowledged before Redis storage hands it to another worker. A job whose
    /// processing host died is back on its queue long before this (<c>Liveness:Timeout</c>); this is the last resort,
    /// for a host that is alive but stuck. Keep it longer than any job can run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long an idle worker thread waits for a new-job notice before it looks at its queue anyway. Notices are
    /// per queue and none is lost while a worker runs, so a job normally starts at once; this only bounds the delay
    /// after Redis itself dropped a notice (a reconnect). Each idle thread costs one Redis command per this interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Tasks one detection job may carry; 1 (the default) turns bundling off. While a queue holds more than
    /// <see cref="BundleWhenQueuedOver"/> waiting jobs, a new task joins the newest of them (which is nowhere near being
    /// fetched) instead of adding a job: the worker then pays Hangfire's per-job bookkeeping once for several tasks. Each
    /// task keeps its own record, lease, result and at-least-once run; a larger value trades a little latency per task
    /// (it waits for the tasks before it in its job) for throughput. See docs/performance.md for the measured effect.
    /// </summary>
    [Range(1, 64)]
    public int MaxTasksPerJob { get; set; } = 1;

    /// <summary>Waiting jobs a queue must hold before new tasks are bundled (with <see cref="MaxTasksPerJob"/> above 1).</summary>
    [Range(1, 1_000_000)]
    public int BundleWhenQueuedOver { get; set; } = 32;

    /// <summary>These settings in the form Hangfire's Redis storage takes.</summary>
    public RedisStorageOptions ToRedisStorageOptions() => new()
    {
        Prefix = Prefix,
        InvisibilityTimeout = InvisibilityTimeout,
        FetchTimeout = FetchTimeout,
    };
}

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
    /// How long a fetched job may stay unacknowledged before Redis storage hands it to another worker. It is how a
    /// job whose worker died gets back to the queue; keep it longer than any job can run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long an idle worker thread waits for a new-job notice before it looks at its queue again. Notices are
    /// Redis pub/sub, so a job is normally picked up at once; but the storage's wait can miss a notice that arrives
    /// just after the thread found its queue empty, and then this is how late the job starts. The library's default
    /// is 3 minutes; 1 second costs each idle thread one Redis command a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>These settings in the form Hangfire's Redis storage takes.</summary>
    public RedisStorageOptions ToRedisStorageOptions() => new()
    {
        Prefix = Prefix,
        InvisibilityTimeout = InvisibilityTimeout,
        FetchTimeout = FetchTimeout,
    };
}

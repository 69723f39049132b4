using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// Puts a task into the newest waiting job of a backed-up queue instead of a job of its own
/// (<see cref="HangfireStorageOptions.MaxTasksPerJob"/>), and takes single-task jobs off their queue for a cancel
/// without ever dropping a bundle.
/// </summary>
internal sealed class JobBundler(IConnectionMultiplexer redis, IOptions<HangfireStorageOptions> options)
{
    private readonly HangfireKeys _keys = new(options.Value.Prefix);

    /// <summary>Whether tasks may share jobs at all; when not, <see cref="TryJoin"/> costs nothing.</summary>
    public bool Enabled => options.Value.MaxTasksPerJob > 1;

    /// <summary>The id of the waiting job the task joined, or null when it needs a job of its own.</summary>
    public string? TryJoin(string queue, string taskId)
    {
        if (!Enabled)
        {
            return null;
        }

        var settings = options.Value;
        var joined = redis.GetDatabase().ScriptEvaluate(HotPathScripts.JoinNewestJob, [_keys.Queue(queue), _keys.Bundled(queue)],
            [_keys.JobPrefix, settings.BundleWhenQueuedOver, settings.MaxTasksPerJob - 1, taskId]);
        return joined.IsNull ? null : joined.ToString();
    }

    /// <summary>Removes a waiting single-task job from its queue (the caller then deletes it).</summary>
    public CancelTake TakeForCancel(string queue, string jobId)
    {
        var result = (long)redis.GetDatabase().ScriptEvaluate(HotPathScripts.TakeUnbundledJob, [_keys.Queue(queue), _keys.Job(jobId)], [jobId]);
        return result switch
        {
            < 0 => CancelTake.Bundle,
            0 => CancelTake.NotWaiting,
            _ => CancelTake.Taken,
        };
    }
}

/// <summary>What <see cref="JobBundler.TakeForCancel"/> found.</summary>
internal enum CancelTake
{
    /// <summary>Off the queue: nothing can fetch it or join it any more.</summary>
    Taken,

    /// <summary>Already fetched (or gone).</summary>
    NotWaiting,

    /// <summary>Other tasks ride in it: it stays, and its worker skips the cancelled task.</summary>
    Bundle,
}

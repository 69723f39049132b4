using FaceObject.Storage.Liveness;
using Hangfire.Redis.StackExchange;
using Hangfire.Server;
using Hangfire.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// Hangfire.Redis.StackExchange's storage with a job path of our own (<see cref="HotPathConnection"/>,
/// <see cref="HotPathTransaction"/>): the same Redis keys, so the dashboard, the monitoring API and the library's
/// watchers work as before, at about a third of the round trips per job, with per-queue wake-ups and the
/// acknowledgement inside the commit that ends a job.
/// </summary>
/// <remarks>
/// Derived from the library's public types only (it is LGPL). It depends on the library's key layout, so the
/// package version is pinned and <c>HotPathLayoutTests</c> compares what both storages write.
/// </remarks>
internal sealed class HotPathRedisStorage : RedisStorage
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisStorageOptions _options;

    /// <summary>
    /// The library's own storage on the same connection and options. Its watchers (fetched jobs past the
    /// invisibility timeout, expired job ids) cast their connection to the library's type, so they run against this.
    /// </summary>
    private readonly RedisStorage _library;

    public HotPathRedisStorage(IConnectionMultiplexer redis, RedisStorageOptions options, TimeProvider clock, string? processId = null)
        : base(redis, options)
    {
        ProcessId = processId ?? ProcessInstance.Id;
        _redis = redis;
        _options = options;
        _library = new RedisStorage(redis, options);
        Clock = clock;
        Keys = new HangfireKeys(options.Prefix);
        Wakeups = new QueueWakeups(redis.GetSubscriber(), Keys);
    }

    public HangfireKeys Keys { get; }

    public QueueWakeups Wakeups { get; }

    public TimeProvider Clock { get; }

    /// <summary>How long an idle worker thread waits for a notice before it looks at its queue anyway.</summary>
    public TimeSpan FetchTimeout => _options.FetchTimeout;

    /// <summary>Recorded with every job this process fetches (<see cref="HangfireKeys.FetchedBy"/>).</summary>
    public string ProcessId { get; }

    public bool IsLifo(string queue) => _options.LifoQueues.Contains(queue, StringComparer.OrdinalIgnoreCase);

    public override IStorageConnection GetConnection() => new HotPathConnection(this, _redis.GetDatabase(_options.Db));

    public override bool HasFeature(string featureId) =>
        featureId == JobStorageFeatures.Transaction.RemoveFromQueue(typeof(HotPathFetchedJob)) || base.HasFeature(featureId);

    /// <summary>The library's connection, for everything off the job path.</summary>
    public IStorageConnection CreateLibraryConnection() => _library.GetConnection();

#pragma warning disable CS0618, CS0672 // IServerComponent is how the library's watchers are exposed.
    public override IEnumerable<IServerComponent> GetComponents() => _library.GetComponents();
#pragma warning restore CS0618, CS0672

}

using System.Collections.Concurrent;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Hangfire.HotPath;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests.HotPath;

/// <summary>A hot-path storage (or the library's, to compare) under its own key prefix, with servers stopped on dispose.</summary>
internal sealed class HotPathHarness(IConnectionMultiplexer redis, TimeSpan? fetchTimeout = null) : IDisposable
{
    private readonly List<BackgroundJobServer> _servers = [];

    public HangfireStorageOptions Options { get; } = new()
    {
        Prefix = $"{{test-{Guid.NewGuid():N}}}:",
        FetchTimeout = fetchTimeout ?? TimeSpan.FromSeconds(30),
    };

    public HangfireKeys Keys => new(Options.Prefix);

    public IDatabase Db => redis.GetDatabase();

    public HotPathRedisStorage HotPath(string? processId = null) =>
        new(redis, Options.ToRedisStorageOptions(), TimeProvider.System, processId);

    public RedisStorage Library() => new(redis, Options.ToRedisStorageOptions());

    public BackgroundJobServer Serve(JobStorage storage, string queue, int workers = 1, params IJobFilter[] filters)
    {
        var collection = new JobFilterCollection();
        foreach (var filter in filters)
        {
            collection.Add(filter);
        }

        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                Queues = [queue],
                WorkerCount = workers,
                SchedulePollingInterval = TimeSpan.FromMilliseconds(500),
                FilterProvider = new JobFilterProviderCollection(collection),
            },
            storage);
        _servers.Add(server);
        return server;
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.SendStop();
        }

        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _servers.Clear();
    }
}

/// <summary>Job bodies the tests enqueue: each signals the test waiting on its token.</summary>
public static class Probe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Started = new();
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Released = new();
    private static readonly ConcurrentDictionary<string, int> Runs = new();

    public static Task WhenStarted(string token) => Source(Started, token).Task;

    public static void Release(string token) => Source(Released, token).TrySetResult();

    public static int RunsOf(string token) => Runs.GetValueOrDefault(token);

    public static void Run(string token)
    {
        Runs.AddOrUpdate(token, 1, (_, n) => n + 1);
        Source(Started, token).TrySetResult();
    }

    /// <summary>Runs until the test releases it (at most 30 s).</summary>
    public static void Hold(string token)
    {
        Run(token);
        Source(Released, token).Task.Wait(TimeSpan.FromSeconds(30));
    }

    /// <summary>Fails on its first run, succeeds on the next.</summary>
    public static void FailOnce(string token)
    {
        Run(token);
        if (RunsOf(token) == 1)
        {
            throw new InvalidOperationException("first attempt fails on purpose");
        }
    }

    private static TaskCompletionSource Source(ConcurrentDictionary<string, TaskCompletionSource> map, string token) =>
        map.GetOrAdd(token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

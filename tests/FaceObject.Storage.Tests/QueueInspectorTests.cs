using FaceObject.Core.Jobs;
using FaceObject.Storage.Hangfire;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Tests;

/// <summary>Queue positions against Hangfire's real storages, with jobs enqueued by Hangfire's own client and no server fetching them.</summary>
public sealed class QueueInspectorTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Queue = "object";

    [Fact]
    public async Task GetPositionAsync_CountsFromTheNextJob_WhenHangfireRedisHoldsTheQueue()
    {
        var prefix = $"{{test-{Guid.NewGuid():N}}}:";
        var storage = new RedisStorage(redis.Connection, new RedisStorageOptions { Prefix = prefix });
        var inspector = new RedisQueueInspector(storage, redis.Connection, Options.Create(new HangfireStorageOptions { Prefix = prefix }));

        await AssertPositionsAsync(storage, inspector);
    }

    [Fact]
    public async Task GetPositionAsync_CountsFromTheNextJob_WhenHangfireInMemoryHoldsTheQueue()
    {
        var storage = new InMemoryStorage();
        var inspector = new MonitoringQueueInspector(storage);

        await AssertPositionsAsync(storage, inspector);
    }

    [Fact]
    public async Task GetLoadsAsync_CountsServersAndWorkersPerQueue_WhenHangfireRedisHoldsTheQueues()
    {
        var prefix = $"{{test-{Guid.NewGuid():N}}}:";
        var storage = new RedisStorage(redis.Connection, new RedisStorageOptions { Prefix = prefix });
        var inspector = new RedisQueueInspector(storage, redis.Connection, Options.Create(new HangfireStorageOptions { Prefix = prefix }));

        await AssertLoadsAsync(storage, inspector);
    }

    [Fact]
    public async Task GetLoadsAsync_CountsServersAndWorkersPerQueue_WhenHangfireInMemoryHoldsTheQueues()
    {
        var storage = new InMemoryStorage();

        await AssertLoadsAsync(storage, new MonitoringQueueInspector(storage));
    }

    /// <summary>Two servers announce themselves as processes do (one on the object queue, one on object and callbacks); three jobs wait.</summary>
    private static async Task AssertLoadsAsync(JobStorage storage, IQueueInspector inspector)
    {
        var client = new BackgroundJobClient(storage);
        client.Enqueue(Queue, () => NeverRunJob.Nothing(1));
        client.Enqueue(Queue, () => NeverRunJob.Nothing(2));
        client.Enqueue("callbacks", () => NeverRunJob.Nothing(3));
        using (var connection = storage.GetConnection())
        {
            connection.AnnounceServer("host:1:object", new global::Hangfire.Server.ServerContext { Queues = [Queue], WorkerCount = 4 });
            connection.AnnounceServer("host:2:object", new global::Hangfire.Server.ServerContext { Queues = [Queue, "callbacks"], WorkerCount = 2 });
        }

        var loads = await inspector.GetLoadsAsync([Queue, "callbacks", "face"]);

        loads.Should().Equal(
            new QueueLoad(Queue, Enqueued: 2, Processing: 0, Servers: 2, Workers: 6),
            new QueueLoad("callbacks", Enqueued: 1, Processing: 0, Servers: 1, Workers: 2),
            new QueueLoad("face", Enqueued: 0, Processing: 0, Servers: 0, Workers: 0));
        (await inspector.GetDepthAsync(Queue)).Should().Be(2);
    }

    private static async Task AssertPositionsAsync(JobStorage storage, IQueueInspector inspector)
    {
        var client = new BackgroundJobClient(storage);
        var first = client.Enqueue(Queue, () => NeverRunJob.Nothing(1));
        var second = client.Enqueue(Queue, () => NeverRunJob.Nothing(2));
        var third = client.Enqueue(Queue, () => NeverRunJob.Nothing(3));

        (await inspector.GetPositionAsync(Queue, first)).Should().Be(1);
        (await inspector.GetPositionAsync(Queue, second)).Should().Be(2);
        (await inspector.GetPositionAsync(Queue, third)).Should().Be(3);
        (await inspector.GetPositionAsync(Queue, "no-such-job")).Should().BeNull();
        (await inspector.GetPositionAsync("other-queue", first)).Should().BeNull();

        client.Delete(first);
        (await inspector.GetPositionAsync(Queue, second)).Should().BeLessThanOrEqualTo(2, "deleting a job never moves others back");
    }
}

/// <summary>A job body that is never run: no server fetches from these storages.</summary>
public static class NeverRunJob
{
    public static void Nothing(int n) => _ = n;
}

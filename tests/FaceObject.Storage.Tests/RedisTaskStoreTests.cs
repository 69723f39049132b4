using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Storage.Redis;
using FaceObject.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests;

public sealed class RedisTaskStoreTests(RedisFixture redis) : TaskStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override ITaskStore Store => StoreFactory.Redis(redis.Connection, _prefix, TimeSpan.FromMinutes(5));

    [Fact]
    public async Task TryStartAsync_KeepsTheHashTtl_WhenLeasing()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease());
        await Store.RenewLeaseAsync(task.TaskId, Lease());

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "task:" + task.TaskId);

        ttl.Should().NotBeNull().And.BeGreaterThan(TimeSpan.FromMinutes(4));
    }

    [Fact]
    public async Task CreateAsync_SetsTtlOnTheHash_SoRecordsExpire()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "task:" + task.TaskId);

        ttl.Should().NotBeNull();
        ttl!.Value.Should().BeCloseTo(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForEndAsync_WakesUp_WhenAnotherConnectionEndsTheTask()
    {
        // Two stores on two connections stand for the API and a worker in different processes.
        using var workerConnection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var worker = StoreFactory.Redis(workerConnection, _prefix);
        var api = Store;
        var task = NewTask();
        await api.CreateAsync(task);

        var waiting = api.WaitForEndAsync(task.TaskId, TimeSpan.FromSeconds(20));
        await Task.Delay(300);
        await worker.TryFailAsync(task.TaskId, "boom", DateTimeOffset.UtcNow);

        (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))!.Error.Should().Be("boom");
    }

    [Fact]
    public async Task TryStartAsync_RespectsTheLease_AcrossConnections()
    {
        // Two connections stand for two worker processes that were handed the same job.
        using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var workerB = StoreFactory.Redis(otherConnection, _prefix);
        var task = NewTask();
        await Store.CreateAsync(task);

        (await Store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-a"))).Outcome.Should().Be(StartOutcome.Started);

        (await workerB.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased);
    }

    [Fact]
    public async Task TryStartAsync_TakesTheTaskOver_WhenTheLeasingProcessHasNoLivenessKey()
    {
        // Worker A's process was killed: its liveness key lapsed, though its lease has most of a minute to run.
        var workerA = StoreFactory.Redis(redis.Connection, _prefix, liveness: StoreFactory.Process("host-a:1:dead"));
        var workerB = StoreFactory.Redis(redis.Connection, _prefix, liveness: await AliveAsync("host-b:2:live"));
        var task = NewTask();
        await workerA.CreateAsync(task);
        (await workerA.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-a"))).Outcome.Should().Be(StartOutcome.Started);

        (await workerB.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Started);

        (await workerB.GetAsync(task.TaskId))!.Attempts.Should().Be(2);
        (await Db.HashGetAsync(TaskKey(task), "lease_process")).ToString().Should().Be("\"host-b:2:live\"");
        (await workerA.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeFalse("worker B holds a live lease now");
    }

    [Fact]
    public async Task TryStartAsync_ReturnsLeased_WhenTheLeasingProcessIsAlive()
    {
        var workerA = StoreFactory.Redis(redis.Connection, _prefix, liveness: await AliveAsync("host-a:1:live"));
        var workerB = StoreFactory.Redis(redis.Connection, _prefix, liveness: await AliveAsync("host-b:2:live"));
        var task = NewTask();
        await workerA.CreateAsync(task);
        await workerA.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-a"));

        (await workerB.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased);

        (await workerB.GetAsync(task.TaskId))!.Attempts.Should().Be(1);
        (await workerA.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeTrue();
        (await Db.HashGetAsync(TaskKey(task), "lease_process")).ToString().Should().Be("\"host-a:1:live\"", "a renewal keeps the lease's process");
    }

    [Fact]
    public async Task TryStartAsync_RespectsALeaseWithoutProcess_UntilItExpires()
    {
        // A lease written before leases named their process: only its time counts.
        var workerB = StoreFactory.Redis(redis.Connection, _prefix, liveness: await AliveAsync("host-b:2:live"));
        var task = NewTask();
        await workerB.CreateAsync(task);
        await Db.HashSetAsync(TaskKey(task),
        [
            new HashEntry("status", "\"processing\""),
            new HashEntry("attempts", "1"),
            new HashEntry("lease_owner", "\"old-worker\""),
            new HashEntry("lease_until", DateTimeOffset.UtcNow.AddMilliseconds(700).ToUnixTimeMilliseconds()),
        ]);

        (await workerB.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased);
        await Task.Delay(1000);
        (await workerB.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Started);

        (await workerB.GetAsync(task.TaskId))!.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task ReleaseLeaseAsync_DropsTheLeaseProcess_WithTheLease()
    {
        var worker = StoreFactory.Redis(redis.Connection, _prefix, liveness: await AliveAsync("host-a:1:live"));
        var task = NewTask();
        await worker.CreateAsync(task);
        await worker.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease("worker-a"));
        (await Db.HashExistsAsync(TaskKey(task), "lease_process")).Should().BeTrue();

        await worker.ReleaseLeaseAsync(task.TaskId, Lease("worker-a"));

        (await Db.HashExistsAsync(TaskKey(task), "lease_process")).Should().BeFalse();
    }

    [Fact]
    public async Task TryStartAsync_ReturnsThePayload_WhenPayloadsAreInRedis()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        await store.CreateAsync(task);
        byte[] bytes = [0xFF, 0xD8, 0xFF, 1, 2, 3];
        await Payloads.PutAsync(task.PayloadKey!, bytes, TimeSpan.FromMinutes(1));

        var start = await store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease());

        start.Outcome.Should().Be(StartOutcome.Started);
        start.Payload!.Content.Should().Equal(bytes);
    }

    [Fact]
    public async Task TryStartAsync_ReturnsAReadOfNothing_WhenThePayloadIsMissing()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        await store.CreateAsync(task);

        var start = await store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease());

        start.Payload.Should().Be(new PayloadRead(null), "the payload was looked up and is not there");
    }

    [Fact]
    public async Task TryStartAsync_LeavesThePayloadToItsOwnRead_WhenItIsOverTheLimit()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        await store.CreateAsync(task);
        await Payloads.PutAsync(task.PayloadKey!, new byte[RedisTaskStore.PayloadReadLimit + 1], TimeSpan.FromMinutes(1));

        var start = await store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease());

        start.Outcome.Should().Be(StartOutcome.Started);
        start.Payload.Should().BeNull();
    }

    [Fact]
    public async Task TryStartAsync_ReadsNoPayload_WhenPayloadsAreElsewhere()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Payloads.PutAsync(task.PayloadKey!, new byte[] { 1 }, TimeSpan.FromMinutes(1));

        (await Store.TryStartAsync(task.TaskId, DateTimeOffset.UtcNow, Lease())).Payload.Should().BeNull();
    }

    [Fact]
    public async Task TryCompleteAsync_DropsThePayload_WhenPayloadsAreInRedis()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        var other = NewTask() with { PayloadKey = "p2" };
        await store.CreateAsync(task);
        await store.CreateAsync(other);
        await Payloads.PutAsync(task.PayloadKey!, new byte[] { 1 }, TimeSpan.FromMinutes(1));
        await Payloads.PutAsync(other.PayloadKey!, new byte[] { 2 }, TimeSpan.FromMinutes(1));

        (await store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", DateTimeOffset.UtcNow, 1))).Should().BeTrue();

        (await Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
        (await Payloads.GetAsync(other.PayloadKey!)).Should().Equal(2);
    }

    [Fact]
    public async Task TryFailAsync_DropsThePayload_EvenWhenTheTaskHadAlreadyEnded()
    {
        // As the worker's own delete did after every end it attempted: a late duplicate's upload goes too.
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        await store.CreateAsync(task);
        await store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", DateTimeOffset.UtcNow, 1));
        await Payloads.PutAsync(task.PayloadKey!, new byte[] { 1 }, TimeSpan.FromMinutes(1));

        (await store.TryFailAsync(task.TaskId, "late", DateTimeOffset.UtcNow)).Should().BeFalse();

        (await Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
    }

    [Fact]
    public async Task TryCompleteAsync_KeepsThePayload_WhenPayloadsAreElsewhere()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Payloads.PutAsync(task.PayloadKey!, new byte[] { 1 }, TimeSpan.FromMinutes(1));

        await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", DateTimeOffset.UtcNow, 1));

        (await Payloads.GetAsync(task.PayloadKey!)).Should().Equal(1);
    }

    [Fact]
    public async Task TryCancelAsync_KeepsThePayload_ForTheApiToDrop()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, payloadsInRedis: true);
        var task = NewTask();
        await store.CreateAsync(task);
        await Payloads.PutAsync(task.PayloadKey!, new byte[] { 1 }, TimeSpan.FromMinutes(1));

        (await store.TryCancelAsync(task.TaskId, DateTimeOffset.UtcNow)).Should().BeTrue();

        (await Payloads.GetAsync(task.PayloadKey!)).Should().Equal(1);
    }

    [Fact]
    public async Task CreateAsync_StoresTheUploadAndTheRecordInOneTransaction_WhenPayloadsAreInRedis()
    {
        var store = StoreFactory.Redis(redis.Connection, _prefix, TimeSpan.FromMinutes(5), payloadsInRedis: true);
        var task = NewTask();
        using var monitor = await RedisMonitor.StartAsync(redis.Server);

        await ((ITaskIntake)store).CreateAsync(task, new byte[] { 1, 2 }, TimeSpan.FromMinutes(3));

        var sent = await monitor.TakeAsync(marker => Db.ExecuteAsync("ECHO", marker));
        sent.Where(c => c != "select").Should().Equal(["multi", "setex", "hmset", "expire", "exec"], "one transaction, sent at once");
        (await Payloads.GetAsync(task.PayloadKey!)).Should().Equal(1, 2);
        (await Db.KeyTimeToLiveAsync(_prefix + "payload:" + task.PayloadKey)).Should().BeCloseTo(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(10));
        (await store.GetAsync(task.TaskId)).Should().BeEquivalentTo(task, o => o.Excluding(t => t.Result));
        (await Db.KeyTimeToLiveAsync(TaskKey(task))).Should().BeCloseTo(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CreateAsync_RefusesAnUpload_WhenPayloadsAreElsewhere()
    {
        var act = () => ((ITaskIntake)Store).CreateAsync(NewTask(), new byte[] { 1 }, TimeSpan.FromMinutes(1));

        await act.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task GetAsync_ThrowsStorageUnavailable_WhenRedisIsDown()
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{FaceObject.Testing.FreePort.Next()}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        options.AsyncTimeout = 500;
        using var dead = await ConnectionMultiplexer.ConnectAsync(options);
        var store = StoreFactory.Redis(dead, _prefix);

        var act = () => store.GetAsync("any");

        await act.Should().ThrowAsync<StorageUnavailableException>();
    }

    [Fact]
    public async Task GetStatisticsAsync_CountsEndsInTheClocksMinute_WhenTheClockIsNotTheSystemClock()
    {
        // The per-minute bucket of an end must come from the injected clock, as the reader's "now" does.
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 12, 0, 30, TimeSpan.Zero));
        var store = StoreFactory.Redis(redis.Connection, _prefix, clock: clock);
        var queue = "q" + Guid.NewGuid().ToString("N")[..8];
        var task = NewTask() with { Queue = queue };
        await store.CreateAsync(task);

        await store.TryFailAsync(task.TaskId, "x", clock.GetUtcNow());

        (await store.GetStatisticsAsync(queue, clock.GetUtcNow())).EndedLastMinute.Should().Be(1);
        (await store.GetStatisticsAsync(queue, DateTimeOffset.UtcNow)).EndedLastMinute.Should().Be(0);
    }

    protected override Task PassTimeAsync(TimeSpan time) => Task.Delay(time);

    private IDatabase Db => redis.Connection.GetDatabase();

    private RedisPayloadStore Payloads => new(redis.Connection, StoreFactory.Keys(_prefix));

    private RedisKey TaskKey(TaskRecord task) => _prefix + "task:" + task.TaskId;

    /// <summary>A process whose liveness key exists, as its heartbeat keeps it.</summary>
    private async Task<Liveness.ProcessLiveness> AliveAsync(string processId)
    {
        await Db.StringSetAsync(_prefix + "process:" + processId, 1, TimeSpan.FromMinutes(1));
        return StoreFactory.Process(processId);
    }
}

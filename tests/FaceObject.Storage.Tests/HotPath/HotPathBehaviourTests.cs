using FaceObject.Core.Tasks;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Hangfire.HotPath;
using FaceObject.Storage.Liveness;
using FaceObject.Storage.Redis;
using FaceObject.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests.HotPath;

/// <summary>The hot-path storage's behaviour beyond the layout: wake-ups, recovery, retries, deletes and cancels, on a real redis-server.</summary>
public sealed class HotPathBehaviourTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Queue = "hot";

    [Fact]
    public async Task IdleWorker_StartsANewJobAtOnce_WhenItsQueueIsNotified()
    {
        using var harness = new HotPathHarness(redis.Connection, fetchTimeout: TimeSpan.FromSeconds(60));
        var storage = harness.HotPath();
        harness.Serve(storage, Queue, workers: 2);
        await Task.Delay(TimeSpan.FromSeconds(1)); // both threads found the queue empty and wait for a notice

        var token = Guid.NewGuid().ToString("N");
        var enqueued = DateTime.UtcNow;
        Client(storage).Create(Job.FromExpression(() => Probe.Run(token), Queue), new EnqueuedState(Queue));

        (await Task.WhenAny(Probe.WhenStarted(token), Task.Delay(TimeSpan.FromSeconds(5)))).Should().BeSameAs(Probe.WhenStarted(token),
            "the queue's notice wakes a waiting thread; the fetch timeout here is a minute");
        (DateTime.UtcNow - enqueued).Should().BeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task IdleWorker_FindsAJobPushedWithoutANotice_WithinTheFetchTimeout()
    {
        using var harness = new HotPathHarness(redis.Connection, fetchTimeout: TimeSpan.FromSeconds(1));
        var storage = harness.HotPath();
        var token = Guid.NewGuid().ToString("N");
        var jobId = Client(storage).Create(Job.FromExpression(() => Probe.Run(token), Queue), new ScheduledState(TimeSpan.FromDays(1)));
        harness.Serve(storage, Queue);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // Enqueued by hand, as a notice lost in a Redis reconnect would leave it: state and queue entry, no publish.
        await harness.Db.HashSetAsync(harness.Keys.Job(jobId), "State", EnqueuedState.StateName);
        await harness.Db.ListLeftPushAsync(harness.Keys.Queue(Queue), jobId);

        (await Task.WhenAny(Probe.WhenStarted(token), Task.Delay(TimeSpan.FromSeconds(10)))).Should().BeSameAs(Probe.WhenStarted(token));
    }

    [Fact]
    public void WakeSignal_KeepsANoticeThatArrivedBeforeTheWait_AndOnlyOneWithNoWaiter()
    {
        using var signal = new WakeSignal();
        signal.Notify();
        signal.Notify();

        signal.Wait(TimeSpan.FromSeconds(5), CancellationToken.None).Should().BeTrue("the notice that came between the empty fetch and the wait is not lost");
        signal.Wait(TimeSpan.FromMilliseconds(100), CancellationToken.None).Should().BeFalse("with nobody waiting, a second notice adds nothing");
    }

    [Fact]
    public async Task JobOfADeadProcess_GoesBackToItsQueueExactlyOnce()
    {
        using var harness = new HotPathHarness(redis.Connection);
        var keys = new RedisKeys(Options.Create(new TaskOptions { KeyPrefix = $"test-{Guid.NewGuid():N}:" }));
        var dead = harness.HotPath(processId: "dead-" + Guid.NewGuid().ToString("N"));
        var alive = harness.HotPath(processId: "alive-" + Guid.NewGuid().ToString("N"));
        await harness.Db.StringSetAsync(keys.ProcessAlive(alive.ProcessId), "1", TimeSpan.FromMinutes(1));
        var client = Client(dead);
        var deadsJob = client.Create(Job.FromExpression(() => Probe.Run("never"), Queue), new EnqueuedState(Queue));
        var alivesJob = client.Create(Job.FromExpression(() => Probe.Run("never"), Queue), new EnqueuedState(Queue));

        // Each process fetches one job and then does nothing more with it: the dead one was SIGKILLed right here.
        dead.GetConnection().FetchNextJob([Queue], CancellationToken.None).JobId.Should().Be(deadsJob);
        alive.GetConnection().FetchNextJob([Queue], CancellationToken.None).JobId.Should().Be(alivesJob);
        var sweepers = Enumerable.Range(0, 3).Select(_ => Sweeper(harness, keys)).ToList();

        var recovered = await Task.WhenAll(sweepers.Select(s => s.SweepAsync()));

        recovered.Sum().Should().Be(1, "three racing sweepers move the dead process's job once");
        (await harness.Db.ListRangeAsync(harness.Keys.Queue(Queue))).Select(v => v.ToString()).Should().Equal(deadsJob);
        (await harness.Db.ListRangeAsync(harness.Keys.Dequeued(Queue))).Select(v => v.ToString()).Should().Equal(alivesJob);
        (await harness.Db.HashGetAsync(harness.Keys.Job(deadsJob), "Fetched")).IsNull.Should().BeTrue();
        (await Sweeper(harness, keys).SweepAsync()).Should().Be(0);
    }

    [Fact]
    public async Task SweeperLeavesItsOwnProcesssJobs_EvenWhenRedisLostItsLivenessKey()
    {
        using var harness = new HotPathHarness(redis.Connection);
        var keys = new RedisKeys(Options.Create(new TaskOptions { KeyPrefix = $"test-{Guid.NewGuid():N}:" }));
        var self = harness.HotPath(processId: "self-" + Guid.NewGuid().ToString("N"));
        var jobId = Client(self).Create(Job.FromExpression(() => Probe.Run("never"), Queue), new EnqueuedState(Queue));
        self.GetConnection().FetchNextJob([Queue], CancellationToken.None).JobId.Should().Be(jobId);
        var sweeper = new DeadProcessSweeper(harness.Db.Multiplexer, keys, new ProcessLiveness(self.ProcessId), Options.Create(harness.Options),
            Options.Create(new LivenessOptions()), TimeProvider.System, NullLogger<DeadProcessSweeper>.Instance);

        (await sweeper.SweepAsync()).Should().Be(0, "a process is alive by definition; a Redis restart can lose its key");
        (await harness.Db.ListRangeAsync(harness.Keys.Dequeued(Queue))).Select(v => v.ToString()).Should().Equal(jobId);
    }

    [Fact]
    public async Task FetchedJobGivenBackWhileRedisIsDown_IsBackOnItsQueueOnceRedisAnswers()
    {
        // Its own Redis, with its data kept: this test stops and restarts it.
        using var server = new RedisServer(appendOnly: true);
        using var connection = server.Connect();
        using var harness = new HotPathHarness(connection);
        var storage = harness.HotPath();
        var jobId = Client(storage).Create(Job.FromExpression(() => Probe.Run("never"), Queue), new EnqueuedState(Queue));
        var fetched = storage.GetConnection().FetchNextJob([Queue], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // AOF is written every second: the fetch survives the restart

        server.Stop();
        fetched.Dispose(); // the worker gives the job back (Hangfire could not change its state either)
        server.Start();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !await QueueHoldsAsync(harness, jobId))
        {
            await Task.Delay(200);
        }

        (await harness.Db.ListRangeAsync(harness.Keys.Queue(Queue))).Select(v => v.ToString()).Should().Equal(jobId);
        (await harness.Db.ListLengthAsync(harness.Keys.Dequeued(Queue))).Should().Be(0, "the job is given back once, not left with this live process");
    }

    [Fact]
    public async Task FetchedJobGivenBackWhileRedisDoesNotAnswer_IsBackOnItsQueueOnceItDoes()
    {
        // A Redis that does not answer makes the give-back end in a RedisTimeoutException (not a RedisException):
        // it must be retried like a lost connection, not thrown out of Dispose, which left the job fetched by this
        // live process until the invisibility timeout (30 minutes).
        using var server = new RedisServer();
        using var connection = ConnectWithShortTimeouts(server);
        using var harness = new HotPathHarness(connection);
        var storage = harness.HotPath();
        var jobId = Client(storage).Create(Job.FromExpression(() => Probe.Run("never"), Queue), new EnqueuedState(Queue));
        var fetched = storage.GetConnection().FetchNextJob([Queue], CancellationToken.None);

        server.Suspend();
        try
        {
            fetched.Dispose();
        }
        finally
        {
            server.Resume();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !await QueueHoldsAsync(harness, jobId))
        {
            await Task.Delay(200);
        }

        (await harness.Db.ListRangeAsync(harness.Keys.Queue(Queue))).Select(v => v.ToString()).Should().Equal(jobId);
        (await harness.Db.ListLengthAsync(harness.Keys.Dequeued(Queue))).Should().Be(0);
    }

    [Fact]
    public async Task Sweeper_KeepsSweeping_WhileRedisDoesNotAnswer()
    {
        // Its loop ending on a timeout would stop the worker's host (a failed BackgroundService does).
        using var server = new RedisServer();
        using var connection = ConnectWithShortTimeouts(server);
        using var harness = new HotPathHarness(connection);
        var keys = new RedisKeys(Options.Create(new TaskOptions { KeyPrefix = $"test-{Guid.NewGuid():N}:" }));
        harness.Db.SetAdd(harness.Keys.Queues, Queue);
        using var logs = new RecordingLoggerFactory();
        using var sweeper = new DeadProcessSweeper(connection, keys, new ProcessLiveness("self-" + Guid.NewGuid().ToString("N")), Options.Create(harness.Options),
            Options.Create(new LivenessOptions { SweepInterval = TimeSpan.FromMilliseconds(100) }), TimeProvider.System,
            new Microsoft.Extensions.Logging.Logger<DeadProcessSweeper>(logs));
        await sweeper.StartAsync(CancellationToken.None);

        server.Suspend();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            sweeper.ExecuteTask!.IsCompleted.Should().BeFalse("a failed sweep is logged and tried at the next interval: " + sweeper.ExecuteTask.Exception);
            logs.Entries.Should().NotBeEmpty();
        }
        finally
        {
            server.Resume();
        }

        await sweeper.StopAsync(CancellationToken.None);
    }

    /// <summary>A connection whose commands time out after 300 ms, so a test of a stalled Redis takes a second or two.</summary>
    private static ConnectionMultiplexer ConnectWithShortTimeouts(RedisServer server)
    {
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = 300;
        options.SyncTimeout = 300;
        return ConnectionMultiplexer.Connect(options);
    }

    [Fact]
    public async Task JobOfAStuckLiveProcess_IsHandedOutAgainAfterTheInvisibilityTimeout_ByTheLibrarysWatcher()
    {
        using var harness = new HotPathHarness(redis.Connection, fetchTimeout: TimeSpan.FromSeconds(1));
        harness.Options.InvisibilityTimeout = TimeSpan.FromSeconds(1);
        var stuck = harness.HotPath(processId: "stuck-" + Guid.NewGuid().ToString("N"));
        var token = Guid.NewGuid().ToString("N");
        Client(stuck).Create(Job.FromExpression(() => Probe.Run(token), Queue), new EnqueuedState(Queue));
        using var held = stuck.GetConnection().FetchNextJob([Queue], CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        // The library's FetchedJobsWatcher runs as soon as a server starts; it must work on the hot path's storage.
        harness.Serve(harness.HotPath(), Queue);

        (await Task.WhenAny(Probe.WhenStarted(token), Task.Delay(TimeSpan.FromSeconds(15)))).Should().BeSameAs(Probe.WhenStarted(token));
    }

    [Fact]
    public async Task FailedAttempt_IsRetriedThroughTheScheduledState_AndSucceeds_AsWithTheLibrary()
    {
        var hotPath = await RetryAsync(h => h.HotPath());
        var library = await RetryAsync(h => h.Library());

        hotPath.Should().Equal(library);
        hotPath.Should().ContainInOrder("Failed", "Scheduled", "Succeeded");
    }

    /// <summary>A job that fails once, retried after a second; returns its state history as the dashboard shows it.</summary>
    private async Task<List<string>> RetryAsync(Func<HotPathHarness, JobStorage> storageOf)
    {
        using var harness = new HotPathHarness(redis.Connection);
        var storage = storageOf(harness);
        harness.Serve(storage, Queue, 1, new AutomaticRetryAttribute { Attempts = 1, DelaysInSeconds = [1] });
        var token = Guid.NewGuid().ToString("N");

        var jobId = Client(storage).Create(Job.FromExpression(() => Probe.FailOnce(token), Queue), new EnqueuedState(Queue));

        await WaitForStateAsync(harness, jobId, SucceededState.StateName, TimeSpan.FromSeconds(20));
        Probe.RunsOf(token).Should().Be(2);
        (await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "RetryCount")).ToString().Should().Be("1");
        await WaitForAsync(async () => await harness.Db.ListLengthAsync(harness.Keys.Dequeued(Queue)) == 0, TimeSpan.FromSeconds(5));
        (await harness.Db.HashLengthAsync(harness.Keys.FetchedBy(Queue))).Should().Be(0);
        return storage.GetMonitoringApi().JobDetails(jobId).History.Select(h => h.StateName).Reverse().ToList();
    }

    [Fact]
    public async Task JobDeletedFromTheDashboardWhileItRuns_StaysDeleted_AndLeavesNothingFetched()
    {
        using var harness = new HotPathHarness(redis.Connection);
        var storage = harness.HotPath();
        harness.Serve(storage, Queue);
        var token = Guid.NewGuid().ToString("N");
        var client = Client(storage);
        var jobId = client.Create(Job.FromExpression(() => Probe.Hold(token), Queue), new EnqueuedState(Queue));
        await Probe.WhenStarted(token).WaitAsync(TimeSpan.FromSeconds(10));

        (await harness.Db.KeyExistsAsync(harness.Keys.JobStateLock(jobId))).Should().BeFalse(
            "the state lock taken by the fetch ends with the move to Processing, not with the job");
        client.Delete(jobId).Should().BeTrue();
        Probe.Release(token);

        await WaitForAsync(async () => await harness.Db.ListLengthAsync(harness.Keys.Dequeued(Queue)) == 0, TimeSpan.FromSeconds(10));
        (await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "State")).ToString().Should().Be(DeletedState.StateName,
            "the end of a run does not overwrite a delete that came first");
        (await harness.Db.HashLengthAsync(harness.Keys.FetchedBy(Queue))).Should().Be(0);
    }

    [Fact]
    public async Task CancelThroughTheScheduler_DeletesAQueuedJob_AndTakesItOffTheQueue()
    {
        using var harness = new HotPathHarness(redis.Connection);
        var storage = harness.HotPath();
        var client = Client(storage);
        var scheduler = new HangfireJobScheduler(client, storage);
        var jobId = scheduler.EnqueueDetection(Queue, "task-1");

        scheduler.TryCancel(jobId).Should().BeTrue();

        (await harness.Db.ListLengthAsync(harness.Keys.Queue(Queue))).Should().Be(0);
        (await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "State")).ToString().Should().Be(DeletedState.StateName);
        scheduler.TryCancel(jobId).Should().BeFalse("a job can be cancelled once");
    }

    private static async Task<bool> QueueHoldsAsync(HotPathHarness harness, string jobId)
    {
        try
        {
            return (await harness.Db.ListRangeAsync(harness.Keys.Queue(Queue))).Any(v => v == jobId);
        }
        catch (StackExchange.Redis.RedisException)
        {
            return false; // not reconnected yet
        }
    }

    private static BackgroundJobClient Client(JobStorage storage) => new(storage, new JobFilterProviderCollection(new JobFilterCollection()));

    private static DeadProcessSweeper Sweeper(HotPathHarness harness, RedisKeys keys) => new(
        harness.Db.Multiplexer, keys, new ProcessLiveness("sweeper-" + Guid.NewGuid().ToString("N")), Options.Create(harness.Options), Options.Create(new LivenessOptions()), TimeProvider.System,
        NullLogger<DeadProcessSweeper>.Instance);

    private static Task WaitForStateAsync(HotPathHarness harness, string jobId, string state, TimeSpan timeout) =>
        WaitForAsync(async () => await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "State") == state, timeout);

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }

            await Task.Delay(50);
        }
    }
}

using System.Text.Json;
using FaceObject.Core.Jobs;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Hangfire.HotPath;
using FaceObject.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Tests.HotPath;

/// <summary>
/// Bundling (<c>Hangfire:MaxTasksPerJob</c>) on a real redis-server: which waiting job a task joins, what the queue's
/// depth and the dashboard then say, what a fetch hands the worker, and what a cancel may and may not delete.
/// </summary>
public sealed class JobBundleTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Queue = "bundle";

    [Fact]
    public async Task BurstOnABackedUpQueue_JoinsTheNewestWaitingJob_UpToTheLimit_AndDepthCountsTasks()
    {
        using var setup = new Setup(redis, maxTasksPerJob: 4, queuedOver: 2);

        var jobs = Enumerable.Range(1, 12).Select(i => setup.Scheduler.EnqueueDetection(Queue, $"t{i}")).ToList();

        // t1..t3 get jobs of their own (the queue holds 1, 2, then 3 jobs); t4..t6 join t3's job, which is then full;
        // t7 gets a job, t8..t10 join it; t11 gets one and t12 joins it.
        jobs.Distinct().Should().HaveCount(5);
        jobs[3..6].Should().AllBe(jobs[2]);
        jobs[7..10].Should().AllBe(jobs[6]);
        jobs[11].Should().Be(jobs[10]);
        (await setup.Harness.Db.ListLengthAsync(setup.Harness.Keys.Queue(Queue))).Should().Be(5);
        (await setup.Inspector.GetDepthAsync(Queue)).Should().Be(12, "depth counts tasks, not jobs");
        (await setup.Inspector.GetLoadsAsync([Queue])).Single().Enqueued.Should().Be(12);
        (await setup.Inspector.GetPositionAsync(Queue, jobs[0])).Should().Be(1, "the oldest job is next");

        var details = setup.Storage.GetMonitoringApi().JobDetails(jobs[2]);
        details.Properties.Should().Contain(JobBundles.SizeParameter, "4", "the dashboard lists a bundle's task count on the job's page");
        JsonSerializer.Deserialize<string[]>(details.Properties[JobBundles.TasksParameter]).Should().Equal("t4", "t5", "t6");
    }

    [Fact]
    public async Task FetchedBundle_BringsItsTasksInTheJobParameters_AndLeavesTheQueuesBundledCount()
    {
        using var setup = new Setup(redis, maxTasksPerJob: 3, queuedOver: 1);
        var jobs = Enumerable.Range(1, 5).Select(i => setup.Scheduler.EnqueueDetection(Queue, $"t{i}")).ToList();
        jobs.Distinct().Should().HaveCount(3, "t3 and t4 join t2's job, t5 needs its own");

        using var connection = setup.Storage.GetConnection();
        var fetched = new List<(string JobId, IReadOnlyDictionary<string, string> Parameters)>();
        for (var i = 0; i < 3; i++)
        {
            using var job = connection.FetchNextJob([Queue], CancellationToken.None);
            fetched.Add((job.JobId, connection.GetJobData(job.JobId)!.ParametersSnapshot!));
            job.RemoveFromQueue();
            if (i == 0)
            {
                (await setup.Inspector.GetDepthAsync(Queue)).Should().Be(4, "t1's job left; the bundle's three and t5 wait");
            }
        }

        fetched.Select(f => f.JobId).Should().Equal(jobs[0], jobs[1], jobs[4]);
        JsonSerializer.Deserialize<string[]>(fetched[1].Parameters[JobBundles.TasksParameter]).Should().Equal("t3", "t4");
        fetched[0].Parameters.Should().NotContainKey(JobBundles.TasksParameter);
        (await setup.Inspector.GetDepthAsync(Queue)).Should().Be(0);
        (await setup.Harness.Db.KeyExistsAsync(setup.Harness.Keys.Bundled(Queue))).Should().BeFalse("an emptied queue clears its bundled count");
    }

    [Fact]
    public async Task CancelInsideABundle_KeepsTheJobForItsOtherTasks_WhileASingleTaskJobIsDeletedAndLeavesTheQueue()
    {
        using var setup = new Setup(redis, maxTasksPerJob: 4, queuedOver: 1);
        var single = setup.Scheduler.EnqueueDetection(Queue, "t1");
        var bundle = setup.Scheduler.EnqueueDetection(Queue, "t2");
        setup.Scheduler.EnqueueDetection(Queue, "t3").Should().Be(bundle);

        setup.Scheduler.TryCancel(bundle).Should().BeTrue("the task is cancelled; its job stays for t2");
        setup.Scheduler.TryCancel(single).Should().BeTrue();

        var queued = (await setup.Harness.Db.ListRangeAsync(setup.Harness.Keys.Queue(Queue))).Select(v => v.ToString()).ToList();
        queued.Should().Equal(bundle);
        (await setup.Harness.Db.HashGetAsync(setup.Harness.Keys.Job(bundle), "State")).ToString().Should().Be(EnqueuedState.StateName);
        (await setup.Harness.Db.HashGetAsync(setup.Harness.Keys.Job(single), "State")).ToString().Should().Be(DeletedState.StateName);
    }

    [Fact]
    public async Task NewTask_GetsAJobOfItsOwn_WhenTheNewestWaitingJobWasDeletedFromTheDashboard_OrBundlingIsOff()
    {
        using var setup = new Setup(redis, maxTasksPerJob: 4, queuedOver: 1);
        setup.Scheduler.EnqueueDetection(Queue, "t1");
        var newest = setup.Scheduler.EnqueueDetection(Queue, "t2");
        setup.Client.Delete(newest).Should().BeTrue("an operator deletes the job on the dashboard; its id stays in the list until fetched");

        setup.Scheduler.EnqueueDetection(Queue, "t3").Should().NotBe(newest, "nothing joins a deleted job");

        using var off = new Setup(redis, maxTasksPerJob: 1, queuedOver: 1);
        var ids = Enumerable.Range(1, 4).Select(i => off.Scheduler.EnqueueDetection(Queue, $"t{i}")).ToList();
        ids.Distinct().Should().HaveCount(4);
        (await off.Harness.Db.KeyExistsAsync(off.Harness.Keys.Bundled(Queue))).Should().BeFalse();
    }

    private sealed class Setup : IDisposable
    {
        public Setup(RedisFixture redis, int maxTasksPerJob, int queuedOver)
        {
            Harness = new HotPathHarness(redis.Connection);
            Harness.Options.MaxTasksPerJob = maxTasksPerJob;
            Harness.Options.BundleWhenQueuedOver = queuedOver;
            Storage = Harness.HotPath();
            Client = new BackgroundJobClient(Storage, new JobFilterProviderCollection(new JobFilterCollection()));
            var options = Options.Create(Harness.Options);
            Scheduler = new HangfireJobScheduler(Client, Storage, new JobBundler(redis.Connection, options));
            Inspector = new RedisQueueInspector(Storage, redis.Connection, options);
        }

        public HotPathHarness Harness { get; }

        public HotPathRedisStorage Storage { get; }

        public BackgroundJobClient Client { get; }

        public HangfireJobScheduler Scheduler { get; }

        public RedisQueueInspector Inspector { get; }

        public void Dispose() => Harness.Dispose();
    }
}

using System.Collections.Concurrent;
using FaceObject.Storage.Hangfire;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;

namespace FaceObject.Storage.Tests;

/// <summary>
/// How soon an idle Hangfire worker on our Redis settings starts a job whose new-job notice it never saw. Hangfire's
/// Redis storage resets its wake-up event after finding the queue empty, so a notice published in between is lost;
/// with the library's 3-minute fetch timeout such a task sat queued for minutes.
/// </summary>
public sealed class HangfireFetchTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string Queue = "wake";

    [Fact]
    public async Task IdleWorker_StartsAJobWithinSeconds_WhenItsWakeUpNoticeWasLost()
    {
        var options = new HangfireStorageOptions { Prefix = $"{{test-{Guid.NewGuid():N}}}:" };
        var storage = new RedisStorage(redis.Connection, options.ToRedisStorageOptions());
        var token = Guid.NewGuid().ToString("N");
        var ran = WakeProbe.Expect(token);
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { Queues = [Queue], WorkerCount = 1 }, storage);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the worker has found the queue empty and is waiting for a notice

        // Enqueued the way Hangfire's client does it, minus the pub/sub notice: the job's state and the queue entry.
        var jobId = new BackgroundJobClient(storage).Create(Job.FromExpression(() => WakeProbe.Run(token)), new ScheduledState(TimeSpan.FromDays(1)));
        var db = redis.Connection.GetDatabase();
        await db.HashSetAsync($"{options.Prefix}job:{jobId}", "State", EnqueuedState.StateName);
        await db.ListLeftPushAsync($"{options.Prefix}queue:{Queue}", jobId);

        var started = await Task.WhenAny(ran, Task.Delay(TimeSpan.FromSeconds(15)));
        started.Should().BeSameAs(ran, $"the worker looks at its queue again after Hangfire:FetchTimeout ({options.FetchTimeout})");
    }
}

/// <summary>The job body: signals the test that is waiting for its token.</summary>
public static class WakeProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiting = new();

    public static Task Expect(string token) =>
        Waiting.GetOrAdd(token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static void Run(string token)
    {
        if (Waiting.TryRemove(token, out var waiting))
        {
            waiting.SetResult();
        }
    }
}

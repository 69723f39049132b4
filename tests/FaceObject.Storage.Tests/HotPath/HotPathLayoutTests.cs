using System.Globalization;
using System.Text.RegularExpressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests.HotPath;

/// <summary>
/// The hot-path storage must leave Redis exactly as the library's own storage does, key by key, or the dashboard
/// and the monitoring API would read something else. Runs the same jobs through both against a real redis-server.
/// If this fails after a Hangfire.Redis.StackExchange upgrade, the library changed its layout: update the hot path.
/// </summary>
public sealed partial class HotPathLayoutTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public void LibraryVersion_IsTheOneTheHotPathWasWrittenAgainst()
    {
        typeof(RedisStorage).Assembly.GetName().Version.Should().Be(new Version(1, 12, 0, 0),
            "HotPathRedisStorage writes Hangfire.Redis.StackExchange 1.12's key layout; check it against the new version, then update this");
    }

    [Fact]
    public async Task SucceededJob_LeavesTheSameKeysAsTheLibrary()
    {
        var library = await RunAsync(h => h.Library(), nameof(Probe.Run));
        var hotPath = await RunAsync(h => h.HotPath(), nameof(Probe.Run));

        hotPath.Should().BeEquivalentTo(library);
        hotPath["state locks left"].Should().Be("0");
        library.Should().ContainKey("job:{id}:history").And.ContainKey("stats:succeeded").And.ContainKey("succeeded")
            .And.ContainKey($"stats:succeeded:{DateTime.UtcNow:yyyy-MM-dd}");
    }

    [Fact]
    public async Task FailedJob_LeavesTheSameKeysAsTheLibrary()
    {
        var library = await RunAsync(h => h.Library(), nameof(Probe.FailOnce));
        var hotPath = await RunAsync(h => h.HotPath(), nameof(Probe.FailOnce));

        hotPath.Should().BeEquivalentTo(library);
        library.Should().ContainKey("failed");
    }

    [Fact]
    public async Task ProcessingJob_LooksTheSameWhileItRuns_ApartFromWhoFetchedIt()
    {
        var library = await RunAsync(h => h.Library(), nameof(Probe.Hold));
        var hotPath = await RunAsync(h => h.HotPath(), nameof(Probe.Hold));

        hotPath.Should().ContainKey("queue:layout:fetched-by", "the hot path records the fetching process beside the job, not in it");
        hotPath.Remove("queue:layout:fetched-by");
        hotPath.Should().BeEquivalentTo(library);
        library.Should().ContainKey("queue:layout:dequeued").And.ContainKey("processing");
    }

    /// <summary>Runs one job to its end and describes every key it left (names with ids replaced, types, fields, states).</summary>
    private async Task<Dictionary<string, string>> RunAsync(Func<HotPathHarness, JobStorage> storageOf, string method)
    {
        using var harness = new HotPathHarness(redis.Connection);
        var storage = storageOf(harness);
        var token = Guid.NewGuid().ToString("N");
        var client = new BackgroundJobClient(storage, new JobFilterProviderCollection(new JobFilterCollection()));
        var job = method switch
        {
            nameof(Probe.Run) => Job.FromExpression(() => Probe.Run(token), "layout"),
            nameof(Probe.Hold) => Job.FromExpression(() => Probe.Hold(token), "layout"),
            _ => Job.FromExpression(() => Probe.FailOnce(token), "layout"),
        };
        var jobId = client.Create(job, new EnqueuedState("layout"));
        harness.Serve(storage, "layout", 1, new StatisticsHistoryAttribute());

        var expected = method switch
        {
            nameof(Probe.Run) => SucceededState.StateName,
            nameof(Probe.Hold) => ProcessingState.StateName,
            _ => FailedState.StateName,
        };
        await WaitForAsync(async () => await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "State") == expected);
        if (method != nameof(Probe.Hold))
        {
            await WaitForAsync(async () => await harness.Db.ListLengthAsync(harness.Keys.Dequeued("layout")) == 0);
            harness.Dispose();
        }

        var keys = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]).Keys(pattern: harness.Options.Prefix + "*").ToList();
        var described = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var name = Normalize(key.ToString()[harness.Options.Prefix.Length..], jobId);
            if (name.StartsWith("server", StringComparison.Ordinal) || name.EndsWith("lock", StringComparison.Ordinal) || name.StartsWith("locks:", StringComparison.Ordinal))
            {
                continue; // servers have random ids; locks (a job's, or a background process's such as the schedule poller's) come and go
            }

            described[name] = await DescribeAsync(harness.Db, key, jobId);
        }

        described["state locks left"] = keys.Count(k => k.ToString().EndsWith(":state-lock", StringComparison.Ordinal)).ToString(CultureInfo.InvariantCulture);
        var monitoring = storage.GetMonitoringApi();
        var details = monitoring.JobDetails(jobId);
        described["dashboard: job"] = string.Join(",", details.Properties.Keys.Where(IsLayout).Order(StringComparer.Ordinal)) + " " +
            string.Join(">", details.History.Select(h => h.StateName).Reverse());
        var stats = monitoring.GetStatistics();
        described["dashboard: counts"] = $"enqueued {stats.Enqueued} processing {stats.Processing} succeeded {stats.Succeeded} failed {stats.Failed} queues {stats.Queues}";
        described["dashboard: processing"] = string.Join(",", monitoring.ProcessingJobs(0, 10).Select(j => Normalize(j.Key, jobId)));
        if (method == nameof(Probe.Hold))
        {
            Probe.Release(token);
            await WaitForAsync(async () => await harness.Db.HashGetAsync(harness.Keys.Job(jobId), "State") == SucceededState.StateName);
        }

        return described;
    }

    /// <summary>
    /// Whether a job field is the job's layout: <c>Checked</c> is the library's fetched-jobs watcher marking a job it
    /// looked at, written or not depending on when its timer fires.
    /// </summary>
    private static bool IsLayout(string field) => field != "Checked";

    private static async Task<string> DescribeAsync(IDatabase db, RedisKey key, string jobId)
    {
        var type = await db.KeyTypeAsync(key);
        var expires = await db.KeyTimeToLiveAsync(key) is null ? "persistent" : "expiring";
        var content = type switch
        {
            RedisType.Hash => string.Join(",", (await db.HashKeysAsync(key)).Select(k => k.ToString()).Where(IsLayout).Order(StringComparer.Ordinal)),
            RedisType.List => string.Join("|", (await db.ListRangeAsync(key)).Select(v => StateOf(Normalize(v.ToString(), jobId)))),
            RedisType.SortedSet => string.Join(",", (await db.SortedSetRangeByRankAsync(key)).Select(v => Normalize(v.ToString(), jobId))),
            RedisType.Set => string.Join(",", (await db.SetMembersAsync(key)).Select(v => v.ToString()).Order(StringComparer.Ordinal)),
            RedisType.String => (await db.StringGetAsync(key)).ToString(),
            _ => "",
        };
        return $"{type} {expires}: {content}";
    }

    /// <summary>A history entry reduced to its state and field names (its values hold times and server ids).</summary>
    private static string StateOf(string entry) =>
        entry.StartsWith('{') ? string.Join(",", FieldName().Matches(entry).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)) + " " + StateName().Match(entry).Groups[1].Value : entry;

    private static string Normalize(string text, string jobId) => text.Replace(jobId, "{id}", StringComparison.Ordinal);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(20); waited += TimeSpan.FromMilliseconds(50))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The job did not reach its end within 20 s.");
    }

    [GeneratedRegex("\"([A-Za-z]+)\":")]
    private static partial Regex FieldName();

    [GeneratedRegex("\"State\":\"([A-Za-z]+)\"")]
    private static partial Regex StateName();
}

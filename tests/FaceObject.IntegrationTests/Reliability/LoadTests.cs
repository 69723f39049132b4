using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Testing;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A bounded load run on 127.0.0.1: 32 concurrent clients, each submitting a task and long-polling it to its end
/// before the next, against the API (enqueue only) and two worker processes per queue, with a 20 s Tasks:Ttl.
/// CI runs 200 tasks; <c>FACEOBJECT_LOAD_TEST=1</c> runs 2,000 (docs/reliability.md has the figures). The figures
/// are printed, never asserted: tests assert behaviour, not timings.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 32;
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(20);
    private static readonly string[] FaceImages = ["faces_1.jpg", "faces_2.jpg", "faces_3.jpg", "faces_6.jpg", "faces_10.jpg"];
    private static readonly string[] ObjectImages = ["dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "person.jpg"];
    private readonly ServiceCluster _cluster = new(appendOnly: false);

    private static int TaskCount => Environment.GetEnvironmentVariable("FACEOBJECT_LOAD_TEST") == "1" ? 2_000 : 200;

    [Fact]
    public async Task EveryTask_EndsOnceWithTheSameResultAsItsTwins_AndRedisReturnsToBaseline_WhenClientsSubmitConcurrently()
    {
        _cluster.Settings["Tasks:Ttl"] = Ttl.ToString();
        var api = await _cluster.StartApiAsync(new Dictionary<string, string?> { ["Api:RateLimit:PermitsPerSecond"] = "0" });
        var workers = await Task.WhenAll(
            _cluster.StartWorkerAsync("face"), _cluster.StartWorkerAsync("face"),
            _cluster.StartWorkerAsync("object"), _cluster.StartWorkerAsync("object"));
        var images = FaceImages.Concat(ObjectImages).ToDictionary(name => name, TestPaths.ImageBytes);
        var baseline = await RedisServer.UsedMemoryAsync(_cluster.Connection);

        var runs = new ConcurrentBag<Run>();
        var next = -1;
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakMemoryAsync(sampling.Token);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < TaskCount; i = Interlocked.Increment(ref next))
            {
                var (model, image) = i % 2 == 0 ? ("face", FaceImages[i / 2 % FaceImages.Length]) : ("object", ObjectImages[i / 2 % ObjectImages.Length]);
                var started = clock.Elapsed;
                var taskId = await api.Client.SubmitImageExpectingAcceptedAsync(model, images[image], image);
                var submitted = clock.Elapsed;
                var task = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(120));
                runs.Add(new Run(taskId, model, image, task, started, submitted - started, clock.Elapsed - started));
            }
        }));
        var duration = clock.Elapsed;
        await sampling.CancelAsync();
        var peakMemory = await peak;
        var afterRun = await RedisServer.UsedMemoryAsync(_cluster.Connection);
        var liveTasks = _cluster.Keys("faceobject:task:*").Count;
        var livePayloads = _cluster.Keys("faceobject:payload:*").Count;
        var latencies = runs.Select(r => r.EndToEnd.TotalMilliseconds).Order().ToList();
        var submits = runs.Select(r => r.Submit.TotalMilliseconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            tasks {runs.Count} ({TaskCount / 2} face, {TaskCount / 2} object), clients {Clients}, workers 2 face + 2 object (1 thread each)
            duration {duration.TotalSeconds:F1} s, throughput {runs.Count / duration.TotalSeconds:F1} tasks/s
            submit latency ms: p50 {Percentile(submits, 50):F1}, p95 {Percentile(submits, 95):F1}, max {submits[^1]:F1}
            submit-to-result latency ms: p50 {Percentile(latencies, 50):F0}, p95 {Percentile(latencies, 95):F0}, max {latencies[^1]:F0}
            tasks per worker: {string.Join(", ", workers.Select(w => CountCompletions(w.Output)))}
            redis used_memory: baseline {baseline / 1024.0:F0} KiB, peak {peakMemory / 1024.0:F0} KiB, after the run {afterRun / 1024.0:F0} KiB with {liveTasks} task records and {livePayloads} payloads not yet expired
            """));

        livePayloads.Should().Be(0, "an upload is deleted as soon as its task ends");
        runs.Should().HaveCount(TaskCount);
        runs.Select(r => r.TaskId).Should().OnlyHaveUniqueItems();
        foreach (var run in runs)
        {
            run.Task["status"]!.GetValue<string>().Should().Be("completed", run.Task.ToJsonString());
            run.Task["attempts"]!.GetValue<int>().Should().Be(1, "no task ran twice");
        }

        foreach (var twins in runs.GroupBy(r => (r.Model, r.Image)))
        {
            twins.Select(r => Detections(r.Task)).Distinct().Should().ContainSingle($"every {twins.Key} task finds the same objects");
        }

        // Read back the tasks young enough not to have expired (Tasks:Ttl counts from the submit).
        foreach (var run in runs.Where(r => clock.Elapsed - r.StartedAt < Ttl - TimeSpan.FromSeconds(5)))
        {
            var again = await api.Client.GetTaskAsync(run.TaskId);
            again!["result"]!.ToJsonString().Should().Be(run.Task["result"]!.ToJsonString(), "a stored result is never rewritten");
        }

        foreach (var queue in new[] { "face", "object" })
        {
            var view = await api.QueueAsync(queue);
            view["completed"]!.GetValue<long>().Should().Be(TaskCount / 2);
            view["failed"]!.GetValue<long>().Should().Be(0);
            view["enqueued"]!.GetValue<long>().Should().Be(0);
            view["processing"]!.GetValue<long>().Should().Be(0);
        }

        workers.Should().OnlyContain(w => !w.HasExited);
        workers.Select(w => CountCompletions(w.Output)).Should().OnlyContain(n => n > 0, "each worker of a pool takes a share");

        // Everything expires: task records, payloads, and (Hangfire's JobExpirationTimeout = Tasks:Ttl) the job data.
        var expiry = Stopwatch.StartNew();
        var leftover = await WaitForKeysToExpireAsync(Ttl + TimeSpan.FromSeconds(30));
        var afterExpiry = await RedisServer.UsedMemoryAsync(_cluster.Connection);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"redis used_memory after expiry: {afterExpiry / 1024.0:F0} KiB ({expiry.Elapsed.TotalSeconds:F0} s after the run, {leftover.Count} per-task keys left)"));
        leftover.Should().BeEmpty();
        // Counters stay, and so do the live workers' model reports and liveness keys (one per model or process,
        // refreshed while they run).
        _cluster.Keys("faceobject:*").Should().OnlyContain(key =>
            key.StartsWith("faceobject:stats:", StringComparison.Ordinal) || key.StartsWith("faceobject:model-report", StringComparison.Ordinal)
            || key.StartsWith("faceobject:process:", StringComparison.Ordinal));
        (afterExpiry - baseline).Should().BeLessThan(2 * 1024 * 1024, "what stays after expiry is bounded counters and lists, not per-task data");
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>The highest <c>used_memory</c> seen, sampled every 250 ms until cancelled.</summary>
    private async Task<long> SamplePeakMemoryAsync(CancellationToken cancellationToken)
    {
        var peak = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, await RedisServer.UsedMemoryAsync(_cluster.Connection));
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return peak;
    }

    /// <summary>Polls until no per-task key (ours or Hangfire's job data) is left; returns those still there at the deadline.</summary>
    private async Task<List<string>> WaitForKeysToExpireAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = _cluster.Keys("faceobject:task:*").Concat(_cluster.Keys("faceobject:payload:*")).Concat(_cluster.Keys("{hangfire}:job:*")).ToList();
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(1000);
        }
    }

    private static string Detections(JsonObject task) => task["result"]!["detections"]!.ToJsonString();

    private static int CountCompletions(string workerOutput) =>
        workerOutput.Split('\n').Count(line => line.Contains(" found ", StringComparison.Ordinal) && line.Contains("stored: True", StringComparison.Ordinal));

    private static double Percentile(List<double> sorted, int percent) => sorted[Math.Min(sorted.Count - 1, sorted.Count * percent / 100)];

    private sealed record Run(string TaskId, string Model, string Image, JsonObject Task, TimeSpan StartedAt, TimeSpan Submit, TimeSpan EndToEnd);
}

using System.Collections.Concurrent;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Hangfire's Redis storage gives a fetched job to another worker once its invisibility timeout has passed, even
/// while the first worker is still running it. With a 5-second timeout and a video that takes far longer, the
/// second worker must leave the task to the first (the task lease), and the first must not be stopped by
/// Hangfire's abort of its job.
/// </summary>
public sealed class VideoRedeliveryTests : IDisposable
{
    /// <summary>3 minutes of 10 fps video, every frame sampled: tens of seconds of work even on a fast machine.</summary>
    private const int Frames = 1800;

    private readonly DistributedHarness _harness = new();

    [Fact]
    public async Task LongVideo_RunsOnceOnTheFirstWorker_WhenTheQueueHandsItToASecondWorker()
    {
        _harness.Settings["Hangfire:InvisibilityTimeout"] = "00:00:05";
        using var client = await _harness.StartApiAsync();
        var first = await _harness.StartWorkerAsync("object");
        using var response = await client.SubmitVideoAsync("object", TestVideos.Slideshow(Frames), "long.mp4", $"?sample_fps=10&max_frames={Frames}");
        var taskId = (await FaceObjectClient.ReadAcceptedAsync(response))["task_id"]!.GetValue<string>();

        using var polling = new CancellationTokenSource();
        var seen = new ConcurrentQueue<(string Status, double Progress)>();
        var poller = PollAsync(client, taskId, seen, polling.Token);
        await WaitUntilAsync(() => seen.Any(s => s.Status == "processing"), TimeSpan.FromMinutes(2));

        // Past the invisibility timeout: the second worker's storage watcher requeues the job when its server
        // starts, and the second worker (idle, one thread) fetches it at once.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var second = await _harness.StartWorkerAsync("object");
        (await client.GetTaskAsync(taskId))!["status"]!.GetValue<string>().Should().Be("processing",
            "the video must still be running when the second worker starts, or this test proves nothing; make it longer");
        await second.WaitForOutputAsync($"Task {taskId}: processing on another worker under a live lease", TimeSpan.FromMinutes(2));

        var task = await client.WaitForEndAsync(taskId, TimeSpan.FromMinutes(15));
        await polling.CancelAsync();
        await poller;

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        task["attempts"]!.GetValue<int>().Should().Be(1, "the second delivery never started the task");
        task["result"]!["summary"]!["frames_processed"]!.GetValue<int>().Should().Be(Frames);
        seen.Should().Contain(s => s.Status == "processing" && s.Progress > 0 && s.Progress < 1, "progress moves while the video runs");
        var ran = $"Task {taskId}: object ran on {Frames} of";
        first.Output.Should().Contain(ran);
        first.Output.Should().Contain($"Task {taskId}: Hangfire aborted this job", "the second delivery took the Hangfire job over");
        second.Output.Should().NotContain(ran);
    }

    public void Dispose() => _harness.Dispose();

    private static async Task PollAsync(FaceObjectClient client, string taskId, ConcurrentQueue<(string, double)> seen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (await client.GetTaskAsync(taskId) is { } task)
            {
                seen.Enqueue((task["status"]!.GetValue<string>(), task["progress"]!.GetValue<double>()));
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}.");
            }

            await Task.Delay(50);
        }
    }
}

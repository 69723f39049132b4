using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A worker killed with SIGKILL in the middle of a job (a crash, an OOM kill), with the production settings: the
/// fetched job stays in the queue's "dequeued" list until the dead process's liveness key lapses
/// (<c>Liveness:Timeout</c>), then another worker's sweeper puts it back and that worker restarts the task, whose
/// lease died with its process. Well within a minute, where Hangfire alone would wait its 30-minute invisibility timeout.
/// </summary>
public sealed class WorkerCrashTests : IDisposable
{
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task Job_IsFinishedOnceByTheOtherWorker_WhenItsWorkerIsKilledMidJob()
    {
        var api = await _cluster.StartApiAsync();
        var workers = new[] { await _cluster.StartWorkerAsync("face"), await _cluster.StartWorkerAsync("face") };
        var image = GeneratedImages.Scaled("faces_3.jpg", 7000, 6000);

        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("face", image, "faces_3-7000x6000.jpg");
        var processing = await api.Client.WaitForStatusAsync(taskId, "processing", TimeSpan.FromSeconds(60));
        var serverId = await _cluster.WaitForProcessingServerAsync(processing["job_id"]!.GetValue<string>(), TimeSpan.FromSeconds(10));
        var victim = workers.Single(w => serverId.Contains($":{w.ProcessId}:", StringComparison.Ordinal));
        var survivor = workers.Single(w => w != victim);
        victim.Kill();
        var sinceKill = System.Diagnostics.Stopwatch.StartNew();

        var stillRunning = await api.Client.GetTaskAsync(taskId);
        stillRunning!["status"]!.GetValue<string>().Should().Be("processing", "the worker was killed before it could store a result");
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(150));
        sinceKill.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "a killed worker's task is taken over in seconds");

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        done["attempts"]!.GetValue<int>().Should().Be(2, "the killed worker started it once, the survivor once more");
        done["result"]!["image"]!["width"]!.GetValue<int>().Should().Be(7000);
        FaceObjectClient.ClassNames(done).Should().NotBeEmpty().And.OnlyContain(c => c == "face");
        victim.Output.Should().NotContain($"Task {taskId}: face found");
        await survivor.WaitForOutputAsync($"Task {taskId}: face found", TimeSpan.FromSeconds(30)); // console logging lags the store
        survivor.HasExited.Should().BeFalse();
        (await api.QueueAsync("face"))["processing"]!.GetValue<long>().Should().Be(0, "no job is left fetched and unfinished");
    }

    public void Dispose() => _cluster.Dispose();
}

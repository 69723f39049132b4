using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A worker killed with SIGKILL in the middle of a job (a crash, an OOM kill): Redis storage keeps the fetched job in
/// the queue's "dequeued" list, and once <c>Hangfire:InvisibilityTimeout</c> has passed another worker of the same
/// queue takes it again. The timeout is 6 s here instead of the production 30 minutes.
/// </summary>
public sealed class WorkerCrashTests : IDisposable
{
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task Job_IsFinishedOnceByTheOtherWorker_WhenItsWorkerIsKilledMidJob()
    {
        _cluster.Settings["Hangfire:InvisibilityTimeout"] = "00:00:06";
        var api = await _cluster.StartApiAsync();
        var workers = new[] { await _cluster.StartWorkerAsync("face"), await _cluster.StartWorkerAsync("face") };
        var image = GeneratedImages.Scaled("faces_3.jpg", 7000, 6000);

        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("face", image, "faces_3-7000x6000.jpg");
        var processing = await api.Client.WaitForStatusAsync(taskId, "processing", TimeSpan.FromSeconds(60));
        var serverId = await _cluster.WaitForProcessingServerAsync(processing["job_id"]!.GetValue<string>(), TimeSpan.FromSeconds(10));
        var victim = workers.Single(w => serverId.Contains($":{w.ProcessId}:", StringComparison.Ordinal));
        var survivor = workers.Single(w => w != victim);
        victim.Kill();

        var stillRunning = await api.Client.GetTaskAsync(taskId);
        stillRunning!["status"]!.GetValue<string>().Should().Be("processing", "the worker was killed before it could store a result");
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(150));

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

using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A worker killed with SIGKILL in the middle of a task (a crash, an OOM kill), with the production settings: the
/// fetched job stays in the queue's "dequeued" list until the dead process's liveness key lapses
/// (<c>Liveness:Timeout</c>), then the other worker's sweeper puts it back and that worker restarts the task, whose
/// lease died with its process. Well within a minute, where Hangfire alone would wait its 30-minute invisibility timeout.
/// The victim holds the task once it has started (<c>FaultTesting:PauseAt=InTask</c>): a real image is detected in
/// a fraction of a second, too soon to be killed in reliably.
/// </summary>
public sealed class WorkerCrashTests : IDisposable
{
    private readonly ServiceCluster _cluster = new();

    [Fact]
    public async Task Job_IsFinishedOnceByTheOtherWorker_WhenItsWorkerIsKilledMidTask()
    {
        var api = await _cluster.StartApiAsync();
        var victim = await _cluster.StartWorkerAsync("face", new Dictionary<string, string?> { ["FaultTesting:PauseAt"] = "InTask" });

        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_3.jpg"), "faces_3.jpg");
        await victim.WaitForOutputAsync($"Fault testing: task {taskId} paused in its task", TimeSpan.FromSeconds(60));
        var survivor = await _cluster.StartWorkerAsync("face");
        var stillRunning = await api.Client.GetTaskAsync(taskId);
        stillRunning!["status"]!.GetValue<string>().Should().Be("processing", "the victim holds the task mid-way");
        victim.Kill();
        var sinceKill = System.Diagnostics.Stopwatch.StartNew();

        (await api.Client.GetTaskAsync(taskId))!["status"]!.GetValue<string>().Should().Be("processing", "the worker was killed before it could store a result");
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(150));
        sinceKill.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "a killed worker's task is taken over in seconds");

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        done["attempts"]!.GetValue<int>().Should().Be(2, "the killed worker started it once, the survivor once more");
        done["result"]!["image"]!["width"]!.GetValue<int>().Should().BeGreaterThan(0);
        FaceObjectClient.ClassNames(done).Should().NotBeEmpty().And.OnlyContain(c => c == "face");
        victim.Output.Should().NotContain($"Task {taskId}: face found");
        await survivor.WaitForOutputAsync($"Task {taskId}: face found", TimeSpan.FromSeconds(30)); // console logging lags the store
        await survivor.WaitForOutputAsync("was fetched by", TimeSpan.FromSeconds(5));
        survivor.HasExited.Should().BeFalse();
        (await api.QueueAsync("face"))["processing"]!.GetValue<long>().Should().Be(0, "no job is left fetched and unfinished");
    }

    public void Dispose() => _cluster.Dispose();
}

using System.Diagnostics;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A worker SIGKILLed at each point of a job's life, with the production settings (no shortened Hangfire timeouts):
/// its task ends exactly once, on another worker, well within a minute. The victim holds its job at the chosen point
/// (<c>FaultTesting:PauseAt</c>), because those windows last a millisecond otherwise.
/// </summary>
public sealed class WorkerKillPointTests : IDisposable
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);
    private readonly ServiceCluster _cluster = new();

    [Theory]
    [InlineData("BeforeTask", "queued")]
    [InlineData("AfterTask", "completed")]
    public async Task Task_EndsExactlyOnceOnAnotherWorker_WhenItsWorkerIsKilledAtAPoint(string point, string statusWhenKilled)
    {
        var api = await _cluster.StartApiAsync();
        var victim = await _cluster.StartWorkerAsync("face", new Dictionary<string, string?> { ["FaultTesting:PauseAt"] = point });
        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_3.jpg"), "faces_3.jpg");
        await victim.WaitForOutputAsync("Fault testing: job", TimeSpan.FromSeconds(60));
        var atKill = await api.Client.GetTaskAsync(taskId);
        atKill!["status"]!.GetValue<string>().Should().Be(statusWhenKilled);
        var jobId = atKill["job_id"]!.GetValue<string>();

        victim.Kill();
        var sinceKill = Stopwatch.StartNew();
        var survivor = await _cluster.StartWorkerAsync("face");
        await WaitUntilAsync(async () => await _cluster.Db.HashGetAsync($"{{hangfire}}:job:{jobId}", "State") == "Succeeded", RecoveryLimit,
            () => _cluster.DescribeJobAsync(jobId));
        sinceKill.Elapsed.Should().BeLessThan(RecoveryLimit);

        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(5));
        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        done["attempts"]!.GetValue<int>().Should().Be(1, "the task ran once: before the kill it had not started, after it it had already ended");
        FaceObjectClient.ClassNames(done).Should().NotBeEmpty().And.OnlyContain(c => c == "face");
        await survivor.WaitForOutputAsync($"Job {jobId} of queue face was fetched by", TimeSpan.FromSeconds(5));
        (await _cluster.Db.ListLengthAsync("{hangfire}:queue:face:dequeued")).Should().Be(0, "nothing is left fetched and unfinished");
        (await _cluster.Db.ListLengthAsync("{hangfire}:queue:face")).Should().Be(0);
        (await api.QueueAsync("face"))["processing"]!.GetValue<long>().Should().Be(0);
    }

    public void Dispose() => _cluster.Dispose();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"Not recovered within {timeout}.\n{await describe()}");
            }

            await Task.Delay(200);
        }
    }
}

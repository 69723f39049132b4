using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// SIGTERM, as a container runtime sends on scale-down or a rolling update: the worker stops fetching, finishes the
/// job in hand within Worker:ShutdownTimeout, and hands back what it cannot finish so another worker completes it.
/// </summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly RedisServer _redis = new();
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public async Task Worker_FinishesTheJobInHandAndExitsCleanly_WhenTerminatedWithinItsGracePeriod()
    {
        var client = await StartApiAsync();
        var worker = await StartWorkerAsync(new() { ["Worker:ShutdownTimeout"] = "00:01:30" });
        var taskId = await SubmitVideoAsync(client, frames: 120);
        await WaitUntilProcessingAsync(client, taskId);

        worker.Terminate();

        worker.WaitForExit(TimeSpan.FromSeconds(100)).Should().BeTrue(worker.Output);
        worker.ExitCode.Should().Be(0, worker.Output);
        var task = (await client.GetTaskAsync(taskId))!;
        task["status"]!.GetValue<string>().Should().Be("completed", "the job in hand was finished before exiting");
        task["attempts"]!.GetValue<int>().Should().Be(1);
    }

    [Fact]
    public async Task Worker_HandsTheJobBack_WhenItCannotFinishWithinItsGracePeriod()
    {
        var client = await StartApiAsync();
        var first = await StartWorkerAsync(new() { ["Worker:ShutdownTimeout"] = "00:00:01" });
        var taskId = await SubmitVideoAsync(client, frames: 600);
        await WaitUntilProcessingAsync(client, taskId);

        first.Terminate();
        first.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(first.Output);
        (await client.GetTaskAsync(taskId))!["status"]!.GetValue<string>().Should().NotBe("completed", "one second is too short for this video");
        await StartWorkerAsync([]);

        var task = await client.WaitForEndAsync(taskId, Timeout);
        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        task["attempts"]!.GetValue<int>().Should().Be(2, "the second worker ran the job the first one handed back");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private static async Task<string> SubmitVideoAsync(FaceObjectClient client, int frames)
    {
        using var response = await client.SubmitVideoAsync("object", TestVideos.Slideshow(frames), query: "?sample_fps=10&max_frames=10000");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(202, body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["task_id"]!.GetValue<string>();
    }

    private static async Task WaitUntilProcessingAsync(FaceObjectClient client, string taskId)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            var status = (await client.GetTaskAsync(taskId))!["status"]!.GetValue<string>();
            if (status == "processing")
            {
                return;
            }

            status.Should().Be("queued");
            await Task.Delay(50);
        }

        throw new TimeoutException($"Task {taskId} never started.");
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        return settings;
    }

    private async Task<FaceObjectClient> StartApiAsync()
    {
        var settings = Settings();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, settings);
        _processes.Add(api);
        await api.WaitForHttpAsync(url + "/livez", Timeout);
        return new FaceObjectClient(url);
    }

    private async Task<ServiceProcess> StartWorkerAsync(Dictionary<string, string?> extra)
    {
        var settings = Settings();
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var worker = ServiceProcess.StartWorker("object", settings);
        _processes.Add(worker);
        await worker.WaitForOutputAsync("warmed up", Timeout);
        return worker;
    }
}

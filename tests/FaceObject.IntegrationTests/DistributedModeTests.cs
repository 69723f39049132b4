using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// The distributed setup: a real redis-server, the API enqueueing only, and workers as separate OS processes
/// that each serve one queue.
/// </summary>
public sealed class DistributedModeTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly RedisServer _redis = new();
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public async Task ObjectTask_StaysQueuedUntilObjectWorkerStarts_WhenOnlyFaceWorkerRuns()
    {
        var (client, _) = await StartApiAsync();
        await StartWorkerAsync("face");

        var faceTask = await client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_3.jpg"));
        var objectTask = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"));

        var face = await client.WaitForEndAsync(faceTask, TimeSpan.FromSeconds(60));
        face["status"]!.GetValue<string>().Should().Be("completed", face.ToJsonString());
        FaceObjectClient.ClassNames(face).Should().HaveCountGreaterThanOrEqualTo(5);

        // The face worker has been idle and polling for a while by now; the object task must still wait.
        var waiting = await client.GetTaskAsync(objectTask, "2s");
        waiting!["status"]!.GetValue<string>().Should().Be("queued");

        await StartWorkerAsync("object");
        var done = await client.WaitForEndAsync(objectTask, TimeSpan.FromSeconds(60));
        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        FaceObjectClient.ClassNames(done).Should().Contain(["dog", "bicycle", "car"]);
    }

    [Fact]
    public async Task Models_ShowObjectUnservedThenWhatItsWorkerLoaded_WhenObjectWorkerStarts()
    {
        var (client, _) = await StartApiAsync();

        var before = (await client.GetModelsAsync())["object"];
        before["served"]!.GetValue<bool>().Should().BeFalse();
        before["device"].Should().BeNull();
        before["servers"]!.AsArray().Should().BeEmpty();

        var worker = await StartWorkerAsync("object");
        var after = await client.WaitForModelServedAsync("object", StartTimeout);

        after["device"]!.GetValue<string>().Should().Be("cpu");
        after["type"]!.GetValue<string>().Should().Be("yolox");
        (after["input"]!["width"]!.GetValue<int>(), after["input"]!["height"]!.GetValue<int>()).Should().Be((416, 416));
        after["class_count"]!.GetValue<int>().Should().Be(80);
        after["classes"]![16]!.GetValue<string>().Should().Be("dog");
        after["servers"]!.AsArray().Should().ContainSingle()
            .Which!["server"]!.GetValue<string>().Should().EndWith($":{worker.ProcessId}");
        (await client.GetModelsAsync())["face"]["served"]!.GetValue<bool>().Should().BeFalse("no face worker runs");
    }

    [Fact]
    public async Task Models_DropTheWorker_WhenItStopsGracefully()
    {
        var (client, _) = await StartApiAsync();
        var worker = await StartWorkerAsync("object");
        await client.WaitForModelServedAsync("object", StartTimeout);

        worker.Terminate();
        worker.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(worker.Output);

        (await client.GetModelsAsync())["object"]["served"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task NewModelKey_GetsItsOwnQueueAndEndpoint_WhenConfiguredAndServedByItsWorker()
    {
        // Configuration only: a third key with the smaller UltraFace file. No code knows the name "faces320".
        var extra = new Dictionary<string, string?>
        {
            ["Models:faces320:Type"] = "ultraface",
            ["Models:faces320:Path"] = TestPaths.Model("version-RFB-320.onnx"),
        };
        var (client, _) = await StartApiAsync(extra);
        var worker = await StartWorkerAsync("faces320", extra);

        var taskId = await client.SubmitImageExpectingAcceptedAsync("faces320", TestPaths.ImageBytes("faces_2.jpg"));
        var task = await client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        task["queue"]!.GetValue<string>().Should().Be("faces320");
        FaceObjectClient.ClassNames(task).Should().NotBeEmpty().And.OnlyContain(c => c == "face");
        worker.Output.Should().Contain("faces320").And.NotContain("yolox_nano.onnx").And.NotContain("version-RFB-640.onnx");
        var model = await client.WaitForModelServedAsync("faces320", StartTimeout);
        (model["input"]!["width"]!.GetValue<int>(), model["input"]!["height"]!.GetValue<int>()).Should().Be((320, 240));
        var queues = await client.Http.GetStringAsync(new Uri("/api/queues", UriKind.Relative));
        queues.Should().Contain("\"faces320\"");
    }

    [Fact]
    public async Task Readyz_ReportsUnservedQueues_WhenNoWorkerRuns()
    {
        var (client, _) = await StartApiAsync();

        using var response = await client.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Select(p => p.Key).Should().Equal("status", "storage", "storage_reachable", "unserved_queues");
        body["status"]!.GetValue<string>().Should().Be("degraded");
        body["storage"]!.GetValue<string>().Should().Be("redis");
        body["storage_reachable"]!.GetValue<bool>().Should().BeTrue();
        body["unserved_queues"]!.AsArray().Select(q => q!.GetValue<string>()).Should().Equal("face", "object");
    }

    [Fact]
    public async Task Readyz_Answers503Unavailable_WhenRedisIsDown()
    {
        var (client, _) = await StartApiAsync();
        _redis.Stop();

        using var response = await client.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.ToJsonString().Should().Be("{\"status\":\"unavailable\",\"storage\":\"redis\",\"storage_reachable\":false,\"unserved_queues\":[]}");
    }

    [Fact]
    public async Task WorkerReadyz_ListsItsModelsAndDevices_WhenTheyAreLoaded()
    {
        var port = FreePort.Next();
        var worker = await StartWorkerAsync("face", new() { ["Worker:MetricsPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Worker:MetricsHost"] = "127.0.0.1" });
        // The port opens after the models are warmed up, a moment after the log line StartWorkerAsync waits for.
        await worker.WaitForHttpAsync($"http://127.0.0.1:{port}/livez", StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var live = await http.GetAsync(new Uri("/livez", UriKind.Relative));
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));

        (await live.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"alive\"}");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!.AsObject();
        body["status"]!.GetValue<string>().Should().Be("ready");
        body["models"]!.ToJsonString().Should().Be("[{\"key\":\"face\",\"device\":\"cpu\"}]");
    }

    [Fact]
    public async Task TryItPage_IsServed_WhenApiOnlyEnqueues()
    {
        var (client, _) = await StartApiAsync();

        using var response = await client.Http.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<script type=\"module\" src=\"/js/main.js\">");
    }

    [Fact]
    public async Task Dashboard_RequiresBasicAuth_WhenCredentialsAreConfigured()
    {
        var (client, _) = await StartApiAsync(new() { ["Dashboard:Username"] = "ops", ["Dashboard:Password"] = "s3cret" });

        using var anonymous = await client.Http.GetAsync(new Uri("/hangfire", UriKind.Relative));
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        anonymous.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic");

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:nope")));
        (await client.Http.SendAsync(wrong)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        right.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:s3cret")));
        (await client.Http.SendAsync(right)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Worker_ExitsWithOneLineReason_WhenModelFileIsMissing()
    {
        var settings = Settings();
        settings["Models:face:Path"] = "/nonexistent/face-model.onnx";
        using var worker = ServiceProcess.StartWorker("face", settings);

        worker.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(worker.Output);

        worker.ExitCode.Should().NotBe(0);
        worker.Output.Should().Contain("cannot start").And.Contain("face").And.Contain("/nonexistent/face-model.onnx");
    }

    [Theory]
    [InlineData("Type", "ultralytics", "does not fit type 'ultralytics'")]
    [InlineData("Type", "rtdetr", "does not fit type 'rtdetr'")]
    [InlineData("Device", "cuda", "Device is 'cuda' but the CUDA execution provider cannot start")]
    public void Worker_ExitsNamingModelAndProblem_WhenModelDoesNotFitItsConfiguration(string setting, string value, string expected)
    {
        var settings = Settings();
        settings[$"Models:object:{setting}"] = value;
        using var worker = ServiceProcess.StartWorker("object", settings);

        worker.WaitForExit(TimeSpan.FromSeconds(60)).Should().BeTrue(worker.Output);

        worker.ExitCode.Should().Be(2, worker.Output);
        worker.Output.Should().Contain("cannot start: Model 'object'").And.Contain(expected);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        return settings;
    }

    private async Task<(FaceObjectClient Client, ServiceProcess Api)> StartApiAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = Settings();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, settings);
        _processes.Add(api);
        await api.WaitForHttpAsync(url + "/livez", StartTimeout);
        var client = new FaceObjectClient(url);
        return (client, api);
    }

    private async Task<ServiceProcess> StartWorkerAsync(string queue, Dictionary<string, string?>? extra = null)
    {
        var settings = Settings();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var worker = ServiceProcess.StartWorker(queue, settings);
        _processes.Add(worker);
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
        return worker;
    }
}

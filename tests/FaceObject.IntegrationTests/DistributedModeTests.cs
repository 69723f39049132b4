using System.Net;
using System.Net.Http.Headers;
using System.Text;
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
    public async Task Readyz_ReportsUnservedQueues_WhenNoWorkerRuns()
    {
        var (client, _) = await StartApiAsync();

        using var response = await client.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("\"degraded\"").And.Contain("redis").And.Contain("face").And.Contain("object");
    }

    [Fact]
    public async Task TryItPage_IsServed_WhenApiOnlyEnqueues()
    {
        var (client, _) = await StartApiAsync();

        using var response = await client.Http.GetAsync(new Uri("/", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<script type=\"module\" src=\"/app.js\">");
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
        settings["Api:RunWorkers"] = "false";
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

    private async Task<ServiceProcess> StartWorkerAsync(string queue)
    {
        var worker = ServiceProcess.StartWorker(queue, Settings());
        _processes.Add(worker);
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
        return worker;
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Image URLs and callbacks in the distributed setup: a real redis-server, an API that only enqueues, and a worker
/// process that fetches the image, runs the model and, from its callbacks server, delivers the webhook.
/// </summary>
public sealed class DistributedInputsTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private RedisServer _redis = null!;
    private readonly List<ServiceProcess> _processes = [];
    private LocalHttpServer _site = null!;

    public async Task InitializeAsync()
    {
        _redis = new RedisServer();
        _site = await LocalHttpServer.StartAsync(TestSite.Map);
    }

    [Fact]
    public async Task Worker_FetchesTheImageAndDeliversTheCallback_WhenApiOnlyEnqueues()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = Start(ServiceProcess.StartApi(url, Settings()));
        await api.WaitForHttpAsync(url + "/livez", StartTimeout);
        var worker = Start(ServiceProcess.StartWorker("object", Settings()));
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
        using var client = new FaceObjectClient(url);
        var hook = $"/hooks/ok/{Guid.NewGuid():N}";

        var taskId = await client.SubmitImageUrlExpectingAcceptedAsync("object", _site.BaseUrl + "/images/dog.jpg",
            new JsonObject { ["callback_url"] = _site.BaseUrl + hook });
        var task = await client.WaitForCallbackAsync(taskId, TimeSpan.FromSeconds(90));

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        task["callback"]!["status"]!.GetValue<string>().Should().Be("delivered");
        JsonNode.Parse(_site.RequestsTo(hook).Should().ContainSingle().Subject.Body)!["task_id"]!.GetValue<string>().Should().Be(taskId);

        var queues = await client.Http.GetFromJsonAsync<JsonArray>(new Uri("/api/queues", UriKind.Relative));
        var callbacks = queues!.Single(q => q!["name"]!.GetValue<string>() == "callbacks")!;
        callbacks["workers"]!.GetValue<int>().Should().Be(2, "the worker runs a callbacks server (Callbacks:WorkerCount=2) and the API none");
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private ServiceProcess Start(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        settings["Callbacks:WorkerCount"] = "2";
        return settings;
    }
}

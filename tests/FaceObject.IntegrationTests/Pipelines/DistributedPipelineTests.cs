using FaceObject.IntegrationTests.Reliability;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Pipelines;

/// <summary>
/// A pipeline run in the distributed setup (real Redis, an API process, worker processes per queue): each stage runs
/// on a worker of its model's queue, and a branch whose queue no worker serves times out without holding up the run.
/// </summary>
public sealed class DistributedPipelineTests : IDisposable
{
    private readonly ServiceCluster _cluster = new(appendOnly: false);

    public DistributedPipelineTests()
    {
        ClassifierApiFixture.AddVehicleClassifier(_cluster.Settings);
        PipelineRunFixture.AddPipeline(_cluster.Settings, "pickup", """
            {
              "detect": { "model": "object", "expected_classes": ["car"] },
              "branches": [ { "id": "pickup", "model": "vehicle", "crop_class": "car", "timeout_seconds": 3 } ]
            }
            """);
        PipelineRunFixture.AddPipeline(_cluster.Settings, "pickup-to-redis", """
            {
              "detect": { "model": "object", "expected_classes": ["car", "dog"] },
              "branches": [ { "id": "pickup", "model": "vehicle", "crop_class": "car" } ],
              "actions": [
                { "type": "redis_save_image", "region": "car", "key": "crops:{task_id}:{detection.class_name}", "expire_seconds": 120 },
                { "type": "publish", "channel": "cars", "message": { "color": "{pickup.color}", "type": "{pickup.type}", "best": "{detection.class_name}" } }
              ]
            }
            """);
    }

    [Fact]
    public async Task Branch_TimesOutAndTheRunCompletes_WhileNoWorkerServesItsQueue_ThenRunsOnTheWorkerOfItsQueue()
    {
        var api = await _cluster.StartApiAsync();
        var objects = await _cluster.StartWorkerAsync("object");

        var first = await api.Client.SubmitPipelineExpectingAcceptedAsync("pickup", TestPaths.ImageBytes("dog.jpg"));
        var timedOut = await api.Client.WaitForEndAsync(first, TimeSpan.FromSeconds(60));

        timedOut["status"]!.GetValue<string>().Should().Be("completed", timedOut.ToJsonString());
        var branch = timedOut["result"]!["branches"]!["pickup"]!;
        branch["status"]!.GetValue<string>().Should().Be("timed_out");
        branch["type"]!.GetValue<string>().Should().Be("timeout");
        branch["error"]!.GetValue<string>().Should().Contain("No result within 3 s").And.Contain("queued");
        FaceObjectClient.ClassNames(timedOut).Should().Equal("car");

        var vehicles = await _cluster.StartWorkerAsync("vehicle");
        var second = await api.Client.SubmitPipelineExpectingAcceptedAsync("pickup", TestPaths.ImageBytes("dog.jpg"));
        var classified = await api.Client.WaitForEndAsync(second, TimeSpan.FromSeconds(60));

        classified["result"]!["branches"]!["pickup"]!["color"]!.GetValue<string>().Should().Be("white", classified.ToJsonString());
        await objects.WaitForOutputAsync($"Pipeline task {second}: stage detect (object) Succeeded", TimeSpan.FromSeconds(10));
        await vehicles.WaitForOutputAsync($"Pipeline task {second}: stage branch:pickup (vehicle) Succeeded", TimeSpan.FromSeconds(10));
        objects.Output.Should().NotContain($"Pipeline task {second}: stage branch:pickup");

        // The first run's branch job waited in the vehicle queue meanwhile: the vehicle worker takes it and drops it unrun.
        var staleJob = timedOut["stages"]!.AsArray().Single(s => s!["stage"]!.GetValue<string>() == "branch:pickup")!["job_id"]!.GetValue<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await _cluster.Db.HashGetAsync($"{{hangfire}}:job:{staleJob}", "State") != "Succeeded" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        ((string?)await _cluster.Db.HashGetAsync($"{{hangfire}}:job:{staleJob}", "State")).Should().Be("Succeeded");
        vehicles.Output.Should().NotContain($"Pipeline task {first}: stage branch:pickup (vehicle) Succeeded");
        (await api.Client.GetTaskAsync(first))!["result"]!["branches"]!["pickup"]!["status"]!.GetValue<string>().Should().Be("timed_out", "a late stage changes nothing");
    }

    [Fact]
    public async Task Actions_SaveTheCropToRedisAndPublishTheBranchResult()
    {
        var api = await _cluster.StartApiAsync();
        await _cluster.StartWorkerAsync("object,vehicle");
        var published = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _cluster.Connection.GetSubscriber().SubscribeAsync(StackExchange.Redis.RedisChannel.Literal("cars"), (_, message) => published.TrySetResult(message!));

        var taskId = await api.Client.SubmitPipelineExpectingAcceptedAsync("pickup-to-redis", TestPaths.ImageBytes("dog.jpg"));
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        var actions = done["result"]!["actions"]!.AsArray();
        actions[0]!["key"]!.GetValue<string>().Should().Be($"crops:{taskId}:dog", "the best detection is the dog");
        actions[1]!["key"]!.GetValue<string>().Should().Be("cars");
        var crop = (byte[])(await _cluster.Db.StringGetAsync($"crops:{taskId}:dog"))!;
        using (var image = FaceObject.Inference.ImageDecoder.Decode(crop))
        {
            var car = done["result"]!["branches"]!["pickup"]!["crop"]!["bbox"]!;
            image.Width.Should().BeCloseTo((int)(car["x2"]!.GetValue<float>() - car["x1"]!.GetValue<float>()), 2, "the saved region is the car's box");
        }

        (await _cluster.Db.KeyTimeToLiveAsync($"crops:{taskId}:dog"))!.Value.Should().BeCloseTo(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30));
        var message = System.Text.Json.Nodes.JsonNode.Parse(await published.Task.WaitAsync(TimeSpan.FromSeconds(10)))!;
        message["color"]!.GetValue<string>().Should().Be("white");
        message["best"]!.GetValue<string>().Should().Be("dog");
        message["task_id"]!.GetValue<string>().Should().Be(taskId);
    }

    [Fact]
    public async Task PostgresActions_WriteTheRowFromTheWorker_WhileTheApiNeedsNoDatabase()
    {
        using var postgres = new PostgresServer();
        await postgres.ExecuteAsync("CREATE TABLE pickups (id serial PRIMARY KEY, task text, color text)");
        PipelineRunFixture.AddPipeline(_cluster.Settings, "pickup-to-db", """
            {
              "detect": { "model": "object", "expected_classes": ["car"] },
              "branches": [ { "id": "pickup", "model": "vehicle", "crop_class": "car" } ],
              "actions": [
                { "type": "postgresql_create_record", "table": "pickups", "fields": { "task": "{task_id}" } },
                { "type": "postgresql_update_combined", "table": "pickups", "key_field": "task", "fields": { "color": "{pickup.color}" } }
              ]
            }
            """);
        var api = await _cluster.StartApiAsync();
        await _cluster.StartWorkerAsync("object,vehicle", new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = postgres.ConnectionString });

        var taskId = await api.Client.SubmitPipelineExpectingAcceptedAsync("pickup-to-db", TestPaths.ImageBytes("dog.jpg"));
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        (await postgres.ScalarAsync($"SELECT count(*) FROM pickups WHERE task = '{taskId}'")).Should().Be(1L);
        (await postgres.ScalarAsync($"SELECT color FROM pickups WHERE task = '{taskId}'")).Should().Be("white");
    }

    public void Dispose() => _cluster.Dispose();
}

using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>The all-in-one service end to end over real HTTP, with the real models on the real test images.</summary>
public sealed class EmbeddedModeTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);

    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task SubmitImage_Answers202WithLocationAndTaskId_WhenImageIsValid()
    {
        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var taskId = body["task_id"]!.GetValue<string>();
        body["status"]!.GetValue<string>().Should().Be("queued");
        body["model"]!.GetValue<string>().Should().Be("object");
        body["queue"]!.GetValue<string>().Should().Be("object");
        body["status_url"]!.GetValue<string>().Should().Be($"/api/task/{taskId}");
        response.Headers.Location!.ToString().Should().Be($"/api/task/{taskId}");
    }

    [Fact]
    public async Task ObjectTask_CompletesWithDogBicycleAndCar_WhenDogImageSubmitted()
    {
        var taskId = await Client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg");

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        var result = task["result"]!;
        result["task_id"]!.GetValue<string>().Should().Be(taskId);
        result["image"]!["width"]!.GetValue<int>().Should().Be(768);
        result["image"]!["height"]!.GetValue<int>().Should().Be(576);
        foreach (var detection in result["detections"]!.AsArray())
        {
            var box = detection!["bbox"]!;
            box["x1"]!.GetValue<float>().Should().BeInRange(0, 768);
            box["x2"]!.GetValue<float>().Should().BeInRange(box["x1"]!.GetValue<float>(), 768);
            box["y2"]!.GetValue<float>().Should().BeInRange(box["y1"]!.GetValue<float>(), 576);
        }

        task["queue_time_ms"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
        task["processing_time_ms"]!.GetValue<double>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task FaceTask_FindsAtLeastTwelveFaces_WhenSixFacesImageHasFourteen()
    {
        var taskId = await Client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_6.jpg"), "faces_6.jpg");

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        var classes = FaceObjectClient.ClassNames(task);
        classes.Should().HaveCountGreaterThanOrEqualTo(12).And.OnlyContain(c => c == "face");
    }

    [Fact]
    public async Task GetTask_Answers404Problem_WhenTaskIsUnknown()
    {
        using var response = await Client.Http.GetAsync(new Uri("/api/task/does-not-exist", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var problem = await FaceObjectClient.ReadProblemAsync(response);
        problem["detail"]!.GetValue<string>().Should().Contain("does-not-exist");
    }

    [Fact]
    public async Task SubmitImage_Answers404Problem_WhenModelIsUnknown()
    {
        using var response = await Client.SubmitImageAsync("cats", TestPaths.ImageBytes("dog.jpg"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var problem = await FaceObjectClient.ReadProblemAsync(response);
        problem["detail"]!.GetValue<string>().Should().Contain("cats").And.Contain("face").And.Contain("object");
    }

    [Fact]
    public async Task SubmitImage_Answers400Problem_WhenFileFieldIsMissing()
    {
        using var content = FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg", field: "picture");
        using var response = await Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("'file'");
    }

    [Fact]
    public async Task SubmitImage_Answers415Problem_WhenFileIsTextNamedJpg()
    {
        using var response = await Client.SubmitImageAsync("object", "this is not an image at all"u8.ToArray(), "photo.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("JPEG, PNG, WebP or BMP");
    }

    [Fact]
    public async Task SubmitImage_Answers413Problem_WhenUploadIsOverTheLimit()
    {
        // The fixture sets Api:MaxImageBytes to 2,000,000; a real JPEG header keeps the sniffer from answering first.
        var oversized = new byte[2_100_000];
        TestPaths.ImageBytes("dog.jpg").CopyTo(oversized, 0);

        using var response = await Client.SubmitImageAsync("object", oversized, "big.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("2,000,000");
    }

    [Fact]
    public async Task SubmitImage_Answers415Problem_WhenBodyIsNotMultipart()
    {
        using var content = new StringContent("hello", System.Text.Encoding.UTF8, "text/plain");
        using var response = await Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        await FaceObjectClient.ReadProblemAsync(response);
    }

    [Fact]
    public async Task SubmitImage_Answers400ProblemNamingStorageKind_WhenImageKeyIsSentWithoutABucket()
    {
        using var content = new StringContent("{\"image_key\": \"images/photo.jpg\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("Storage:Kind=s3").And.Contain("'file'");
    }

    [Fact]
    public async Task Health_AnswersLiveAndReady_WhenRunningAllInOne()
    {
        using var live = await Client.Http.GetAsync(new Uri("/livez", UriKind.Relative));
        using var ready = await Client.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await live.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"alive\"}");
        (await ready.Content.ReadAsStringAsync()).Should().Be("{\"status\":\"ready\",\"storage\":\"memory\",\"storage_reachable\":true,\"unserved_queues\":[]}");
    }

    [Fact]
    public async Task Dashboard_IsOpen_WhenRequestIsLocalAndNoCredentialsAreSet()
    {
        using var response = await Client.Http.GetAsync(new Uri("/hangfire/servers", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("face").And.Contain("object");
    }

    [Fact]
    public async Task Metrics_ExposeQueueAndTaskCounters_AfterATaskCompletes()
    {
        var taskId = await Client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_2.jpg"));
        await Client.WaitForEndAsync(taskId, TaskTimeout);

        var metrics = await Client.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        metrics.Should().Contain("faceobject_tasks_submitted_total{model=\"face\",kind=\"image\"}")
            .And.Contain("faceobject_tasks_completed_total{model=\"face\"}")
            .And.Contain("faceobject_queue_depth{queue=\"object\"}")
            .And.Contain("faceobject_model_info{model=\"face\",type=\"ultraface\",device=\"cpu\"} 1");
    }
    [Fact]
    public async Task SubmitImage_Answers200WithFinishedTask_WhenItEndsWithinWait()
    {
        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg", "?wait=50s");

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        var task = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject();
        task["status"]!.GetValue<string>().Should().Be("completed", body);
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        response.Headers.Location.Should().BeNull("a finished task is the answer itself, not a place to poll");
    }

    [Fact]
    public async Task SubmitImage_Answers202_WhenWaitRunsOutFirst()
    {
        // 1 ms is far shorter than a worker's fetch plus one inference, so the wait runs out with the task queued or processing.
        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg", "?wait=1ms");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var taskId = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
        response.Headers.Location!.ToString().Should().Be($"/api/task/{taskId}");
        (await Client.WaitForEndAsync(taskId, TaskTimeout))["status"]!.GetValue<string>().Should().Be("completed", "the task runs on after the wait");
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("61s")]
    [InlineData("-1")]
    public async Task SubmitImage_Answers400NamingWait_WhenWaitIsNotADurationWithinTheCap(string wait)
    {
        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg", $"?wait={wait}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("'wait'").And.Contain("at most 60s");
    }
}

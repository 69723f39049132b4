using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Storage:Kind=s3 end to end: a real s3rver and redis-server, the API enqueueing only, and a worker as a separate
/// process. Bytes go through the bucket; Redis holds task records and Hangfire's queues.
/// </summary>
public sealed class S3ModeTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);
    private readonly RedisServer _redis = new();
    private readonly S3Server _s3 = new();
    private readonly List<ServiceProcess> _processes = [];
    private readonly string _bucket;

    public S3ModeTests()
    {
        using var client = _s3.CreateClient();
        _bucket = "faceobject-tests";
        client.PutBucketAsync(_bucket).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Tasks_ReadAndWriteTheDocumentedObjects_WhenUploadedOrSubmittedByKey()
    {
        var client = await StartApiAsync();

        // By key, with the object gone before any worker runs: the task must fail saying so.
        await _s3.PutObjectAsync(_bucket, "images/gone.jpg", TestPaths.ImageBytes("dog.jpg"));
        var goneTask = await SubmitKeyExpectingAcceptedAsync(client, "images/gone.jpg");
        using (var s3 = _s3.CreateClient())
        {
            await s3.DeleteObjectAsync(_bucket, "images/gone.jpg");
        }

        await StartWorkerAsync();

        var gone = await client.WaitForEndAsync(goneTask, TaskTimeout);
        gone["status"]!.GetValue<string>().Should().Be("failed", gone.ToJsonString());
        gone["error"]!.GetValue<string>().Should().Contain("images/gone.jpg").And.Contain("does not exist");

        // Upload: the original and the result document land at the documented keys, and the task says where.
        var uploadTask = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg");
        var upload = await client.WaitForEndAsync(uploadTask, TaskTimeout);
        upload["status"]!.GetValue<string>().Should().Be("completed", upload.ToJsonString());
        FaceObjectClient.ClassNames(upload).Should().Contain(["dog", "bicycle", "car"]);
        var storage = upload["storage"]!;
        storage["bucket"]!.GetValue<string>().Should().Be(_bucket);
        storage["original"]!.GetValue<string>().Should().Be($"original/{uploadTask}.jpg");
        storage["result"]!.GetValue<string>().Should().Be($"results/{uploadTask}.json");
        (await _s3.GetObjectAsync(_bucket, $"original/{uploadTask}.jpg")).Should().Equal(TestPaths.ImageBytes("dog.jpg"));
        var resultObject = await _s3.GetObjectAsync(_bucket, $"results/{uploadTask}.json");
        resultObject.Should().NotBeNull();
        var result = JsonNode.Parse(resultObject!)!;
        result["task_id"]!.GetValue<string>().Should().Be(uploadTask);
        result["detections"]!.AsArray().Select(d => d!["class_name"]!.GetValue<string>()).Should().Contain("dog");

        // By key: the worker reads the client's object; the API copied nothing.
        await _s3.PutObjectAsync(_bucket, "images/photo.jpg", TestPaths.ImageBytes("dog.jpg"));
        var keyTask = await SubmitKeyExpectingAcceptedAsync(client, "images/photo.jpg");
        var byKey = await client.WaitForEndAsync(keyTask, TaskTimeout);
        byKey["status"]!.GetValue<string>().Should().Be("completed", byKey.ToJsonString());
        FaceObjectClient.ClassNames(byKey).Should().Contain(["dog", "bicycle", "car"]);
        byKey["storage"]!["original"]!.GetValue<string>().Should().Be("images/photo.jpg");
        (await _s3.GetObjectAsync(_bucket, $"original/{keyTask}.jpg")).Should().BeNull();

        // Delete removes what FaceObject wrote, never the client's object.
        (await client.Http.DeleteAsync(new Uri($"/api/task/{uploadTask}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.Http.DeleteAsync(new Uri($"/api/task/{keyTask}", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await _s3.GetObjectAsync(_bucket, $"original/{uploadTask}.jpg")).Should().BeNull();
        (await _s3.GetObjectAsync(_bucket, $"results/{uploadTask}.json")).Should().BeNull();
        (await _s3.GetObjectAsync(_bucket, $"results/{keyTask}.json")).Should().BeNull();
        (await _s3.GetObjectAsync(_bucket, "images/photo.jpg")).Should().NotBeNull();
    }

    [Fact]
    public async Task Outputs_LandInTheBucket_ForAnAnnotatedImageAndAStreamedVideo()
    {
        var client = await StartApiAsync();
        await StartWorkerAsync();

        // annotate=true: the output image is an object at processed/{id}.jpg, named by the task and served by the API.
        var annotatedTask = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg", "?annotate=true");
        var annotated = await client.WaitForEndAsync(annotatedTask, TaskTimeout);
        annotated["status"]!.GetValue<string>().Should().Be("completed", annotated.ToJsonString());
        annotated["storage"]!["processed"]!.GetValue<string>().Should().Be($"processed/{annotatedTask}.jpg");
        var processed = await _s3.GetObjectAsync(_bucket, $"processed/{annotatedTask}.jpg");
        processed.Should().NotBeNull();
        processed![..3].Should().Equal(0xFF, 0xD8, 0xFF);
        (await client.GetTaskImageAsync(annotatedTask)).Should().Equal(processed);

        // A video upload goes to the bucket as the client sent it (streamed there, not held by the API) and is detected.
        var video = File.ReadAllBytes(TestPaths.Video("slideshow.mp4"));
        using var submitted = await client.SubmitVideoAsync("object", video, "slideshow.mp4", "?sample_fps=2");
        var videoTask = (await FaceObjectClient.ReadAcceptedAsync(submitted))["task_id"]!.GetValue<string>();
        (await _s3.GetObjectAsync(_bucket, $"original/{videoTask}.mp4")).Should().Equal(video);
        var detected = await client.WaitForEndAsync(videoTask, TaskTimeout);
        detected["status"]!.GetValue<string>().Should().Be("completed", detected.ToJsonString());
        detected["result"]!["summary"]!["frames_processed"]!.GetValue<int>().Should().Be(12, "6 s sampled at 2 fps");
        detected["result"]!["summary"]!["counts"]!["giraffe"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        (await _s3.GetObjectAsync(_bucket, $"results/{videoTask}.json")).Should().NotBeNull();
    }

    [Fact]
    public async Task SeedCompatStatus_NamesTheBucketObjectsAsS3Paths_ForAnImageUploadedThroughTheSeedRoute()
    {
        var client = await StartApiAsync();
        await StartWorkerAsync();

        using var upload = await client.PostAsync("/upload?annotate=true", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"));
        var jobId = (await FaceObjectClient.ReadAcceptedAsync(upload))["job_id"]!.GetValue<string>();
        (await client.WaitForEndAsync(jobId, TaskTimeout))["status"]!.GetValue<string>().Should().Be("completed");

        var results = (await client.GetJsonAsync($"/status/{jobId}"))!["results"]!;
        results["original_image_path"]!.GetValue<string>().Should().Be($"s3://{_bucket}/original/{jobId}.jpg");
        results["processed_image_path"]!.GetValue<string>().Should().Be($"s3://{_bucket}/processed/{jobId}.jpg");
        (await _s3.GetObjectAsync(_bucket, $"original/{jobId}.jpg")).Should().Equal(TestPaths.ImageBytes("dog.jpg"));
        (await _s3.GetObjectAsync(_bucket, $"processed/{jobId}.jpg")).Should().NotBeNull();
    }

    [Fact]
    public async Task SubmitByKey_AnswersProblems_WhenTheKeyIsMissingOrTheBucketIsNotAllowed()
    {
        var client = await StartApiAsync();

        using var missing = await SubmitKeyAsync(client, new { image_key = "images/none.jpg" });
        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FaceObjectClient.ReadProblemAsync(missing))["detail"]!.GetValue<string>().Should().Contain("images/none.jpg").And.Contain(_bucket);

        using var otherBucket = await SubmitKeyAsync(client, new { image_key = "images/a.jpg", bucket = "someone-elses" });
        otherBucket.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(otherBucket))["detail"]!.GetValue<string>().Should().Contain("Storage:S3:AllowedBuckets");

        using var noKey = await SubmitKeyAsync(client, new { image = "images/a.jpg" });
        noKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(noKey))["detail"]!.GetValue<string>().Should().Contain("image_key");
    }

    [Fact]
    public async Task Submit_Answers503_WhenTheBucketRejectsTheCredentials()
    {
        var client = await StartApiAsync(accessKey: "WRONG");

        using var response = await client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("not reachable");
    }

    [Fact]
    public async Task Readyz_Answers503Unavailable_WhenTheBucketRejectsTheCredentials()
    {
        var client = await StartApiAsync(accessKey: "WRONG");

        using var response = await client.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["status"]!.GetValue<string>().Should().Be("unavailable");
        body["storage"]!.GetValue<string>().Should().Be("redis+s3");
        body["storage_reachable"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task QueuedTask_FailsWithAReasonAfterRetries_WhenTheBucketBecomesUnreachable()
    {
        var client = await StartApiAsync();
        var queued = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"));

        _s3.Stop();

        using (var refused = await client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg")))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await FaceObjectClient.ReadProblemAsync(refused))["status"]!.GetValue<int>().Should().Be(503);
        }

        using (var refusedByKey = await SubmitKeyAsync(client, new { image_key = "images/photo.jpg" }))
        {
            refusedByKey.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        await StartWorkerAsync(new() { ["Worker:RetryAttempts"] = "1" });

        var failed = await client.WaitForEndAsync(queued, TaskTimeout);
        failed["status"]!.GetValue<string>().Should().Be("failed", failed.ToJsonString());
        failed["error"]!.GetValue<string>().Should().Contain("after retries").And.Contain("not reachable");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _s3.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task Pipeline_ByImageKey_ReadsTheClientsObjectInEachStage_AndWritesItsResultAndBlurredImageToTheBucket()
    {
        var client = await StartApiAsync();
        await StartWorkerAsync(queues: "object,face");
        await _s3.PutObjectAsync(_bucket, "images/group.jpg", TestPaths.ImageBytes("faces_6.jpg"));

        using var response = await client.Http.PostAsJsonAsync(new Uri("/api/pipelines/blur-and-detect/image", UriKind.Relative), new { image_key = "images/group.jpg" });
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, accepted.ToJsonString());
        var taskId = accepted["task_id"]!.GetValue<string>();
        var done = await client.WaitForEndAsync(taskId, TaskTimeout);

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        done["result"]!["blur_metadata"]!["blurred"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(10);
        FaceObjectClient.ClassNames(done).Should().Contain("person");
        done["storage"]!["original"]!.GetValue<string>().Should().Be("images/group.jpg");
        var resultObject = await _s3.GetObjectAsync(_bucket, done["storage"]!["result"]!.GetValue<string>());
        JsonNode.Parse(resultObject!)!["pipeline"]!.GetValue<string>().Should().Be("blur-and-detect");
        (await _s3.GetObjectAsync(_bucket, done["storage"]!["processed"]!.GetValue<string>())).Should().NotBeNull("the blurred image is in the bucket");
    }

    private static Task<HttpResponseMessage> SubmitKeyAsync(FaceObjectClient client, object body) =>
        client.Http.PostAsJsonAsync(new Uri("/api/detect/object/image", UriKind.Relative), body);

    private static async Task<string> SubmitKeyExpectingAcceptedAsync(FaceObjectClient client, string key)
    {
        using var response = await SubmitKeyAsync(client, new { image_key = key });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["task_id"]!.GetValue<string>();
    }

    private Dictionary<string, string?> Settings(string accessKey = S3Server.AccessKey)
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        settings["Storage:S3:MaxErrorRetry"] = "0";
        foreach (var (key, value) in _s3.Settings(_bucket, accessKey))
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<FaceObjectClient> StartApiAsync(string accessKey = S3Server.AccessKey)
    {
        var settings = Settings(accessKey);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, settings);
        _processes.Add(api);
        await api.WaitForHttpAsync(url + "/livez", StartTimeout);
        return new FaceObjectClient(url);
    }

    private async Task StartWorkerAsync(Dictionary<string, string?>? extra = null, string queues = "object")
    {
        var settings = Settings();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var worker = ServiceProcess.StartWorker(queues, settings);
        _processes.Add(worker);
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Seed 001's routes (<c>/upload</c>, <c>/status/{job_id}</c>, ...) on the all-in-one host with the real object
/// model: the seed's field names and values, as its README documents them, over the same tasks as <c>/api</c>.
/// </summary>
public sealed class SeedCompatibilityTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(90);

    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task Upload_AnswersTheSeedsFields_AndStatusReportsTheCompletedDetections()
    {
        var image = TestPaths.ImageBytes("dog.jpg");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var response = await Client.PostAsync("/upload?annotate=true", FaceObjectClient.FileContent(image, "dog.jpg"));

        var accepted = await FaceObjectClient.ReadAcceptedAsync(response);
        var jobId = accepted["job_id"]!.GetValue<string>();
        accepted["filename"]!.GetValue<string>().Should().Be("dog.jpg");
        accepted["file_size"]!.GetValue<long>().Should().Be(image.Length);
        accepted["status"]!.GetValue<string>().Should().Be("submitted");
        accepted["message"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        response.Headers.Location!.ToString().Should().Be($"/status/{jobId}");

        var status = await WaitForSeedEndAsync(jobId);

        status["job_id"]!.GetValue<string>().Should().Be(jobId);
        status["status"]!.GetValue<string>().Should().Be("completed", status.ToJsonString());
        status["updated_at"]!.GetValue<long>().Should().BeInRange(before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var results = status["results"]!;
        results["processing_time"]!.GetValue<double>().Should().BeInRange(0.0001, 60);
        results["detections"]!.AsArray().Select(d => d!["class_name"]!.GetValue<string>()).Should().Contain(["dog", "bicycle", "car"]);
        results["original_image_path"].Should().BeNull("without the bucket store the upload has no lasting address");
        results["processed_image_path"]!.GetValue<string>().Should().Be($"/api/task/{jobId}/image");

        // The same task as /api sees it: the job is the task, not a copy.
        var task = await Client.GetTaskAsync(jobId);
        task!["result"]!["detections"]!.AsArray().Count.Should().Be(results["detections"]!.AsArray().Count);
        results["processing_time"]!.GetValue<double>().Should().BeApproximately(task["processing_time_ms"]!.GetValue<double>() / 1000, 0.001);
    }

    [Fact]
    public async Task BatchUpload_MakesOneJobPerImage_ThatEachComplete()
    {
        var content = new MultipartFormDataContent();
        foreach (var name in new[] { "dog.jpg", "horses.jpg" })
        {
            content.Add(new ByteArrayContent(TestPaths.ImageBytes(name)), "files", name);
        }

        using var response = await Client.PostAsync("/batch-upload", content);

        var accepted = await FaceObjectClient.ReadAcceptedAsync(response);
        accepted["status"]!.GetValue<string>().Should().Be("submitted");
        accepted["total_files"]!.GetValue<int>().Should().Be(2);
        accepted["rejected"]!.AsArray().Should().BeEmpty();
        var jobs = accepted["jobs"]!.AsArray();
        jobs.Select(j => j!["filename"]!.GetValue<string>()).Should().Equal("dog.jpg", "horses.jpg");
        foreach (var job in jobs)
        {
            var status = await WaitForSeedEndAsync(job!["job_id"]!.GetValue<string>());
            status["status"]!.GetValue<string>().Should().Be("completed", status.ToJsonString());
            status["results"]!["detections"]!.AsArray().Should().NotBeEmpty();
        }
    }

    [Fact]
    public async Task StatsQueueStatusAndHealth_AnswerTheSeedsShapes_CountingACompletedJob()
    {
        using var upload = await Client.PostAsync("/upload", FaceObjectClient.FileContent(TestPaths.ImageBytes("person.jpg"), "person.jpg"));
        var jobId = (await FaceObjectClient.ReadAcceptedAsync(upload))["job_id"]!.GetValue<string>();
        (await WaitForSeedEndAsync(jobId))["status"]!.GetValue<string>().Should().Be("completed");

        var stats = (await Client.GetJsonAsync("/stats"))!;
        stats["completed"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(1);
        stats["queue_length"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
        stats["workers"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        stats["timestamp"]!.GetValue<long>().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60);
        var objectQueue = stats["queues"]!.AsArray().Single(q => q!["name"]!.GetValue<string>() == "object")!;
        objectQueue["completed"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(1);

        var queues = (await Client.GetJsonAsync("/queue-status"))!;
        queues["max_queue_size"]!.GetValue<int>().Should().Be(10_000);
        queues["queues"]!["object"]!["queue_length"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
        queues["queues"]!["object"]!["workers"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        queues["queue_length"]!.GetValue<long>().Should().Be(
            queues["queues"]!.AsObject().Sum(q => q.Value!["queue_length"]!.GetValue<long>()));

        using var health = await Client.Http.GetAsync(new Uri("/health", UriKind.Relative));
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        body["status"]!.GetValue<string>().Should().Be("healthy", body.ToJsonString());
        body["checks"]!["queues"]!.GetValue<string>().Should().Be("healthy");
    }

    [Fact]
    public async Task Status_Answers404Problem_ForAnUnknownJob()
    {
        using var response = await Client.Http.GetAsync(new Uri("/status/no-such-job", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("no-such-job");
    }

    [Fact]
    public async Task Upload_Answers400Problem_NamingTheField_WhenNoFileIsSent()
    {
        using var response = await Client.PostAsync("/upload", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg", field: "image"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("'file'");
    }

    private async Task<JsonObject> WaitForSeedEndAsync(string jobId)
    {
        var deadline = DateTime.UtcNow + JobTimeout;
        JsonObject? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = (await Client.GetJsonAsync($"/status/{jobId}"))?.AsObject() ?? throw new InvalidOperationException($"Job {jobId} is unknown.");
            if (status["status"]!.GetValue<string>() is "completed" or "failed" or "cancelled")
            {
                return status;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {jobId} did not end within {JobTimeout}; last seen: {status?.ToJsonString()}");
    }
}

/// <summary>
/// The seed routes' settings on an API-only host (its own Redis, no worker: nothing here needs a model): turned off
/// they do not exist; on, they need the /api keys and share the submit rate limit.
/// </summary>
public sealed class SeedCompatibilitySettingsTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public async Task SeedRoutes_Answer404_WhenTurnedOff()
    {
        using var client = await StartApiAsync(new() { ["Api:SeedRoutes:Enabled"] = "false" });

        foreach (var path in new[] { "/status/x", "/stats", "/queue-status", "/health" })
        {
            (await client.Http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.NotFound, path);
        }

        using var upload = await client.PostAsync("/upload", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"));
        upload.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.Http.GetAsync(new Uri("/api/queues", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Upload_NeedsTheApiKey_AndKeepsToTheSubmitRateLimit()
    {
        using var client = await StartApiAsync(new()
        {
            ["Api:Keys:0"] = "alpha",
            ["Api:RateLimit:PermitsPerSecond"] = "1",
            ["Api:RateLimit:Burst"] = "2",
        });
        var image = TestPaths.ImageBytes("dog.jpg");

        using var anonymous = await client.PostAsync("/upload", FaceObjectClient.FileContent(image, "dog.jpg"));
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        // Eight at once against a bucket of two refilled at one a second: some must be refused, however slow the machine.
        client.Http.DefaultRequestHeaders.Add("X-Api-Key", "alpha");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsync("/upload", FaceObjectClient.FileContent(image, "dog.jpg"))));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        statuses.Should().Contain(HttpStatusCode.Accepted).And.Contain(HttpStatusCode.TooManyRequests, string.Join(",", statuses));
        statuses.Should().OnlyContain(s => s == HttpStatusCode.Accepted || s == HttpStatusCode.TooManyRequests);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private Task<FaceObjectClient> StartApiAsync(Dictionary<string, string?> settings) =>
        ApiOnRedis.StartAsync(_redis, settings, _processes);
}

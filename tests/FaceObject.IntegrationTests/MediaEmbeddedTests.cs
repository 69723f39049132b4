using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>Videos, batches and idempotent submits against the all-in-one service, with the real models.</summary>
public sealed class MediaEmbeddedTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] DogSlide = ["dog", "bicycle", "car"];
    private static readonly string[] GiraffeSlide = ["giraffe", "zebra"];
    private static readonly string[] FacesOnly = ["face"];

    private static byte[] Slideshow => File.ReadAllBytes(TestPaths.Video("slideshow.mp4"));

    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task VideoTask_FindsEachSlideClassInItsFrames_WhenObjectModelRunsOnTheSlideshow()
    {
        using var response = await Client.SubmitVideoAsync("object", Slideshow, "slideshow.mp4", "?sample_fps=2");
        var accepted = await FaceObjectClient.ReadAcceptedAsync(response);
        response.Headers.Location!.ToString().Should().Be(accepted["status_url"]!.GetValue<string>());

        var task = await Client.WaitForEndAsync(accepted["task_id"]!.GetValue<string>(), TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        task["kind"]!.GetValue<string>().Should().Be("video");
        task["progress"]!.GetValue<double>().Should().Be(1);
        task["attempts"]!.GetValue<int>().Should().Be(1);
        var result = task["result"]!;
        result["video"]!["fps"]!.GetValue<double>().Should().BeApproximately(10, 0.01);
        result["video"]!["frame_count"]!.GetValue<int>().Should().Be(60);
        result["video"]!["duration_s"]!.GetValue<double>().Should().BeApproximately(6, 0.01);
        var frames = Frames(result);
        frames.Select(f => f.Index).Should().Equal(Enumerable.Range(0, 12).Select(i => i * 5));
        frames.Should().Contain(f => f.Classes.IsSupersetOf(DogSlide), "a slide shows dog.jpg");
        frames.Should().Contain(f => f.Classes.IsSupersetOf(GiraffeSlide), "a slide shows giraffe.jpg");
        frames.Should().Contain(f => f.Classes.Contains("horse") && !f.Classes.Contains("giraffe"), "a slide shows horses.jpg");
        frames.Should().NotContain(f => f.Classes.Contains("dog") && f.Classes.Contains("giraffe"), "no slide holds both");
        var summary = result["summary"]!;
        summary["frames_processed"]!.GetValue<int>().Should().Be(12);
        summary["counts"]!["giraffe"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
        summary["max_in_frame"]!["horse"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task VideoTask_FindsFacesInSomeFramesOnly_WhenFaceModelRunsOnTheSlideshow()
    {
        using var response = await Client.SubmitVideoAsync("face", Slideshow, "slideshow.mp4", "?sample_fps=1");
        var taskId = (await FaceObjectClient.ReadAcceptedAsync(response))["task_id"]!.GetValue<string>();

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        var frames = Frames(task["result"]!);
        frames.Should().HaveCount(6);
        frames.Should().Contain(f => f.Count >= 3 && f.Classes.SetEquals(FacesOnly), "slides show the face photos");
        frames.Should().Contain(f => f.Count == 0, "slides of animals hold no face");
    }

    [Fact]
    public async Task VideoTask_FailsAtOnceWithAReason_WhenBytesLookLikeMp4ButDoNotDecode()
    {
        var damaged = Slideshow[..64].Concat(new byte[8192]).ToArray();
        using var response = await Client.SubmitVideoAsync("object", damaged, "broken.mp4");
        var taskId = (await FaceObjectClient.ReadAcceptedAsync(response))["task_id"]!.GetValue<string>();

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("could not be opened as a video");
        task["attempts"]!.GetValue<int>().Should().Be(1, "a video that does not decode is not retried");
    }

    [Fact]
    public async Task SubmitVideo_Answers415NamingTheImageEndpoint_WhenFileIsAnImage()
    {
        using var response = await Client.SubmitVideoAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.mp4");

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("/image");
    }

    [Theory]
    [InlineData("?sample_fps=0", "sample_fps")]
    [InlineData("?sample_fps=60", "sample_fps")]
    [InlineData("?max_frames=0", "max_frames")]
    [InlineData("?annotate=true", "images only")]
    public async Task SubmitVideo_Answers400Problem_WhenAnOptionIsOutOfRange(string query, string expected)
    {
        using var response = await Client.SubmitVideoAsync("object", Slideshow, "slideshow.mp4", query);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain(expected);
    }

    [Fact]
    public async Task SubmitImage_Answers413BeforeReadingTheBody_WhenDeclaredLengthIsAboveTheImageLimit()
    {
        // The server takes bodies up to Api:MaxVideoBytes; the image route lowers that to Api:MaxImageBytes (2,000,000 here) + 1 MiB.
        var oversized = new byte[3_300_000];
        TestPaths.ImageBytes("dog.jpg").CopyTo(oversized, 0);

        using var response = await Client.SubmitImageAsync("object", oversized, "big.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("Api:MaxImageBytes").And.Contain("2,000,000");
    }

    [Fact]
    public async Task Batch_MakesOneTaskPerImageAndRefusesOnlyTheBadFile_WhenOneFileIsText()
    {
        using var response = await Client.SubmitBatchAsync("object",
        [
            (TestPaths.ImageBytes("dog.jpg"), "dog.jpg"),
            ("not an image"u8.ToArray(), "notes.jpg"),
            (TestPaths.ImageBytes("giraffe.jpg"), "giraffe.jpg"),
            (TestPaths.ImageBytes("horses.jpg"), "horses.jpg"),
        ]);
        var accepted = await FaceObjectClient.ReadAcceptedAsync(response);

        var batchId = accepted["batch_id"]!.GetValue<string>();
        response.Headers.Location!.ToString().Should().Be($"/api/batch/{batchId}");
        accepted["tasks"]!.AsArray().Select(t => t!["filename"]!.GetValue<string>()).Should().Equal("dog.jpg", "giraffe.jpg", "horses.jpg");
        var rejected = accepted["rejected"]!.AsArray().Single()!;
        rejected["filename"]!.GetValue<string>().Should().Be("notes.jpg");
        rejected["status"]!.GetValue<int>().Should().Be(415);
        rejected["detail"]!.GetValue<string>().Should().Contain("JPEG, PNG, WebP or BMP");

        foreach (var entry in accepted["tasks"]!.AsArray())
        {
            await Client.WaitForEndAsync(entry!["task_id"]!.GetValue<string>(), TaskTimeout);
        }

        var batch = (await Client.GetJsonAsync($"/api/batch/{batchId}"))!;
        batch["total"]!.GetValue<int>().Should().Be(3);
        batch["finished"]!.GetValue<bool>().Should().BeTrue();
        batch["counts"]!["completed"]!.GetValue<int>().Should().Be(3);
        batch["counts"]!["queued"]!.GetValue<int>().Should().Be(0);
        batch["tasks"]!.AsArray().Should().OnlyContain(t => t!["status"]!.GetValue<string>() == "completed");
        var dogTask = await Client.GetTaskAsync(accepted["tasks"]![0]!["task_id"]!.GetValue<string>());
        FaceObjectClient.ClassNames(dogTask!).Should().Contain("dog");
    }

    [Fact]
    public async Task Batch_Answers415ListingEachFile_WhenNoFileIsAnImage()
    {
        using var response = await Client.SubmitBatchAsync("object", [("a"u8.ToArray(), "a.txt"), ("b"u8.ToArray(), "b.jpg")]);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        var problem = await FaceObjectClient.ReadProblemAsync(response);
        problem["detail"]!.GetValue<string>().Should().Contain("a.txt").And.Contain("b.jpg");
        problem["rejected"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Batch_Answers400_WhenFilesFieldIsMissing()
    {
        using var content = FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg", field: "file");
        using var response = await Client.PostAsync("/api/detect/object/batch", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("'files'");
    }

    [Fact]
    public async Task GetBatch_Answers404Problem_WhenBatchIsUnknown()
    {
        using var response = await Client.Http.GetAsync(new Uri("/api/batch/no-such-batch", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("no-such-batch");
    }

    [Fact]
    public async Task SubmitImage_ReturnsTheSameTask_WhenRetriedWithTheSameIdempotencyKey()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await Client.PostAsync("/api/detect/object/image", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), key);
        using var second = await Client.PostAsync("/api/detect/object/image", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), key);

        var firstId = (await FaceObjectClient.ReadAcceptedAsync(first))["task_id"]!.GetValue<string>();
        var secondId = (await FaceObjectClient.ReadAcceptedAsync(second))["task_id"]!.GetValue<string>();

        secondId.Should().Be(firstId);
        first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        second.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
    }

    [Fact]
    public async Task SubmitImage_Answers422_WhenTheIdempotencyKeyWasUsedForAnotherImage()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await Client.PostAsync("/api/detect/object/image", FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), key);
        await FaceObjectClient.ReadAcceptedAsync(first);

        using var other = await Client.PostAsync("/api/detect/object/image", FaceObjectClient.FileContent(TestPaths.ImageBytes("eagle.jpg"), "dog.jpg"), key);

        other.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await FaceObjectClient.ReadProblemAsync(other))["detail"]!.GetValue<string>().Should().Contain("Idempotency-Key").And.Contain("new key");
    }

    [Fact]
    public async Task SubmitVideoAndBatch_ReturnTheFirstResult_WhenRetriedWithTheSameIdempotencyKey()
    {
        var videoKey = Guid.NewGuid().ToString();
        using var video1 = await Client.SubmitVideoAsync("object", Slideshow, "s.mp4", "?sample_fps=1", videoKey);
        using var video2 = await Client.SubmitVideoAsync("object", Slideshow, "s.mp4", "?sample_fps=1", videoKey);
        using var video3 = await Client.SubmitVideoAsync("object", Slideshow, "s.mp4", "?sample_fps=2", videoKey);

        (await FaceObjectClient.ReadAcceptedAsync(video2))["task_id"]!.GetValue<string>()
            .Should().Be((await FaceObjectClient.ReadAcceptedAsync(video1))["task_id"]!.GetValue<string>());
        video3.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "other options make another request");

        var batchKey = Guid.NewGuid().ToString();
        (byte[], string)[] files = [(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), (TestPaths.ImageBytes("eagle.jpg"), "eagle.jpg")];
        using var batch1 = await Client.SubmitBatchAsync("object", files, idempotencyKey: batchKey);
        using var batch2 = await Client.SubmitBatchAsync("object", files, idempotencyKey: batchKey);

        var first = await FaceObjectClient.ReadAcceptedAsync(batch1);
        var second = await FaceObjectClient.ReadAcceptedAsync(batch2);
        second["batch_id"]!.GetValue<string>().Should().Be(first["batch_id"]!.GetValue<string>());
        second["tasks"]!.ToJsonString().Should().Be(first["tasks"]!.ToJsonString());
    }

    [Fact]
    public async Task SubmitImage_Answers400_WhenIdempotencyKeyIsMalformed()
    {
        using var response = await Client.PostAsync("/api/detect/object/image",
            FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), "has spaces in it");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("Idempotency-Key");
    }

    private static List<(int Index, HashSet<string> Classes, int Count)> Frames(JsonNode result) =>
        result["frames"]!.AsArray().Select(f => (
            f!["index"]!.GetValue<int>(),
            f["detections"]!.AsArray().Select(d => d!["class_name"]!.GetValue<string>()).ToHashSet(),
            f["detections"]!.AsArray().Count)).ToList();
}

using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using FaceObject.SafeHttp;
using FaceObject.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests.Jobs;

/// <summary>A whole job run on the real face model: what fails a task at once and what is left for Hangfire to retry.</summary>
public sealed class DetectionJobTests(FaceModelFixture face) : IClassFixture<FaceModelFixture>, IDisposable
{
    private readonly JobWorld _world = new();
    private readonly SafeHttpClient _http = LoopbackHttp.Client();

    [Fact]
    public async Task RunAsync_CompletesTask_WhenImageHasFaces()
    {
        var task = await _world.CreateTaskAsync(payload: TestPaths.ImageBytes("faces_3.jpg"));

        await CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Completed);
        stored.Result!.Value.GetProperty("detections").GetArrayLength().Should().BeGreaterThanOrEqualTo(3);
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_LeavesFinishedResult_WhenJobIsDeliveredAgain()
    {
        var task = await _world.CreateTaskAsync(payload: TestPaths.ImageBytes("faces_1.jpg"));
        var job = CreateJob();
        await job.RunAsync(task.TaskId, CancellationToken.None);
        var finished = await _world.ReadAsync(task.TaskId);
        _world.Clock.Advance(TimeSpan.FromMinutes(5));

        await job.RunAsync(task.TaskId, CancellationToken.None);

        var stored = await _world.ReadAsync(task.TaskId);
        stored.Attempts.Should().Be(1);
        stored.CompletedAt.Should().Be(finished.CompletedAt);
        stored.Result!.Value.GetRawText().Should().Be(finished.Result!.Value.GetRawText());
    }

    [Fact]
    public async Task RunAsync_FailsTaskWithoutRetry_WhenBytesDoNotDecode()
    {
        var task = await _world.CreateTaskAsync(payload: "GIF89a but not really"u8.ToArray());

        var run = () => CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        // TaskFailedException is the one exception the retry policy does not retry.
        var thrown = await run.Should().ThrowAsync<TaskFailedException>();
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be(thrown.Which.Message).And.NotBeNullOrEmpty();
        stored.Attempts.Should().Be(1);
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
    }

    [Fact]
    public async Task RunAsync_FailsTaskWithoutRetry_WhenUploadIsNoLongerStored()
    {
        var task = await _world.CreateTaskAsync(payload: null);

        var run = () => CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        await run.Should().ThrowAsync<TaskFailedException>().WithMessage("*no longer stored*");
        (await _world.ReadAsync(task.TaskId)).Status.Should().Be(DetectionTaskStatus.Failed);
    }

    [Fact]
    public async Task RunAsync_ThrowsForRetryAndFreesTask_WhenImageUrlAnswers503()
    {
        await using var server = await LocalHttpServer.StartAsync((app, _) =>
            app.MapGet("/photo.jpg", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable)));
        var task = await _world.CreateTaskAsync(sourceUrl: server.BaseUrl + "/photo.jpg");

        var run = () => CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        var thrown = await run.Should().ThrowAsync<ImageFetchException>();
        thrown.Which.Message.Should().Contain("503");
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Processing, "Hangfire retries the job");
        stored.Error.Should().BeNull();
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started, "the run gave its lease back for the retry");
    }

    [Fact]
    public async Task RunAsync_CompletesTask_WhenImageIsFetchedFromUrl()
    {
        var bytes = TestPaths.ImageBytes("faces_1.jpg");
        await using var server = await LocalHttpServer.StartAsync((app, _) =>
            app.MapGet("/photo.jpg", () => Results.Bytes(bytes, "image/jpeg")));
        var task = await _world.CreateTaskAsync(sourceUrl: server.BaseUrl + "/photo.jpg");

        await CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        server.RequestsTo("/photo.jpg").Should().ContainSingle();
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Completed);
        stored.Result!.Value.GetProperty("detections").GetArrayLength().Should().BeGreaterThanOrEqualTo(1);
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull("the fetched copy goes with the task's end");
    }

    public void Dispose()
    {
        _http.Dispose();
        _world.Dispose();
    }

    private TaskDetection CreateJob()
    {
        var runner = new TaskRunner(_world.Tasks, _world.Scheduler, _world.Retention, Options.Create(new ProcessingOptions()),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), _world.Clock, _world.Logs.CreateLogger<TaskRunner>());
        var fetcher = new ImageFetcher(_http, Options.Create(new FetchOptions()), Options.Create(new ImageLimits()));
        var inputs = new TaskInputLoader(_world.Payloads, fetcher, _world.TaskOptions, _world.Clock);
        var pipeline = new ImagePipeline(face.Models, _world.Payloads, _world.TaskOptions, _world.Clock);
        var videos = new VideoDetection(face.Models, Microsoft.Extensions.Options.Options.Create(new FaceObject.Tracking.TrackerOptions()), _world.Clock);
        return new TaskDetection(runner, inputs, pipeline, videos, new ResultObjects(_world.Payloads, _world.TaskOptions, _world.Clock), _world.Logs.CreateLogger<TaskDetection>());
    }
}

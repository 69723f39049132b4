using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using FaceObject.SafeHttp;
using FaceObject.Storage;
using FaceObject.Storage.Redis;
using FaceObject.Testing;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Processing.Tests.Jobs;

/// <summary>
/// A whole job run on the real face model against a real redis-server holding records and payloads
/// (<c>Storage:Kind=redis</c>, the default with Redis), counting what the worker's own part sends to Redis.
/// </summary>
public sealed class RedisDetectionJobTests : IClassFixture<FaceModelFixture>, IDisposable
{
    private readonly FaceModelFixture _face;
    private readonly JobWorld _world = new();
    private readonly SafeHttpClient _http = LoopbackHttp.Client();
    private readonly RedisServer _server = new();
    private readonly ConnectionMultiplexer _admin;
    private readonly ConnectionMultiplexer _worker;
    private readonly RedisTaskStore _tasks;
    private readonly RedisPayloadStore _payloads;

    public RedisDetectionJobTests(FaceModelFixture face)
    {
        _face = face;
        _admin = _server.Connect();
        _worker = ConnectionMultiplexer.Connect(_server.ConnectionString);
        var keys = new RedisKeys(_world.TaskOptions);
        _tasks = new RedisTaskStore(_worker, keys, _world.TaskOptions, _world.Clock, storage: new StorageInfo(StorageMode.Redis, PayloadStorageKind.Redis));
        _payloads = new RedisPayloadStore(_worker, keys);
    }

    [Fact]
    public async Task RunAsync_StartsAndEndsATaskInTwoRoundTrips_WhenPayloadsAreInRedis()
    {
        var task = await CreateTaskAsync(TestPaths.ImageBytes("faces_3.jpg"));
        using var monitor = await RedisMonitor.StartAsync(_server);

        await CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        // Before: start script, HGETALL of the record, GET of the payload, end script, DEL of the payload.
        var sent = await monitor.TakeAsync(marker => _admin.GetDatabase().ExecuteAsync("ECHO", marker));
        // A fresh connection sends a script's text (EVAL, plus a SCRIPT LOAD to cache it), later ones only its hash.
        sent.Where(c => c != "script").Select(c => c == "evalsha" ? "eval" : c).Should().Equal(["eval", "eval"],
            "the start script brings the record and the payload, and the end script drops the payload");
        var stored = await _tasks.GetAsync(task.TaskId);
        stored!.Status.Should().Be(DetectionTaskStatus.Completed);
        stored.Result!.Value.GetProperty("detections").GetArrayLength().Should().BeGreaterThanOrEqualTo(3);
        (await _payloads.GetAsync(task.PayloadKey!)).Should().BeNull("the end script dropped the upload");
    }

    [Fact]
    public async Task RunAsync_FailsTheTaskAsBefore_WhenTheUploadIsGone()
    {
        var task = await CreateTaskAsync(null);

        var run = () => CreateJob().RunAsync(task.TaskId, CancellationToken.None);

        await run.Should().ThrowAsync<TaskFailedException>().WithMessage("*no longer stored*");
        (await _tasks.GetAsync(task.TaskId))!.Status.Should().Be(DetectionTaskStatus.Failed);
    }

    public void Dispose()
    {
        _worker.Dispose();
        _admin.Dispose();
        _server.Dispose();
        _http.Dispose();
        _world.Dispose();
    }

    private async Task<TaskRecord> CreateTaskAsync(byte[]? payload)
    {
        var task = JobWorld.NewFaceImageTask(_world.Clock.GetUtcNow());
        await _tasks.CreateAsync(task);
        if (payload is not null)
        {
            await _payloads.PutAsync(task.PayloadKey!, payload, TimeSpan.FromHours(1));
        }

        return task;
    }

    private TaskDetection CreateJob()
    {
        var retention = new PayloadRetention(_payloads, _tasks, _world.Logs.CreateLogger<PayloadRetention>());
        var runner = new TaskRunner(_tasks, _world.Scheduler, retention, Options.Create(new ProcessingOptions()),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), _world.Clock, _world.Logs.CreateLogger<TaskRunner>());
        var fetcher = new ImageFetcher(_http, Options.Create(new FetchOptions()), Options.Create(new ImageLimits()));
        var inputs = new TaskInputLoader(_payloads, fetcher, _world.TaskOptions, _world.Clock);
        var pipeline = new ImagePipeline(_face.Models, _payloads, _world.TaskOptions, _world.Clock);
        var videos = new VideoDetection(_face.Models, Microsoft.Extensions.Options.Options.Create(new FaceObject.Tracking.TrackerOptions()), _world.Clock);
        return new TaskDetection(runner, inputs, pipeline, videos, new ResultObjects(_payloads, _world.TaskOptions, _world.Clock), _world.Logs.CreateLogger<TaskDetection>());
    }
}

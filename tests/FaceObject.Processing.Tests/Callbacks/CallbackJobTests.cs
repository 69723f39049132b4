using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Callbacks;
using FaceObject.SafeHttp;
using FaceObject.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests.Callbacks;

/// <summary>Deliveries to a real HTTP receiver on 127.0.0.1, one attempt per call as Hangfire makes them.</summary>
public sealed class CallbackJobTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "s3cret-for-tests";

    private readonly JobWorld _world = new();
    private readonly CallbackOptions _options = new() { Secret = Secret, RetryDelays = "1,1" };
    private LocalHttpServer _receiver = null!;
    private int _answer = StatusCodes.Status200OK;

    public async Task InitializeAsync()
    {
        _receiver = await LocalHttpServer.StartAsync((app, _) =>
        {
            app.MapPost("/hook", () => Results.StatusCode(Volatile.Read(ref _answer)));
            app.MapPost("/slow", async (HttpContext context) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
                return Results.Ok();
            });
        });
    }

    [Fact]
    public async Task DeliverAsync_PostsSignedTaskJson_WhenReceiverAnswers200()
    {
        var task = await EndedTaskAsync("/hook");
        _world.Clock.Advance(TimeSpan.FromSeconds(7));

        using var http = LoopbackHttp.Client();
        await CreateJob(http).DeliverAsync(task.TaskId, CancellationToken.None);

        var request = _receiver.RequestsTo("/hook").Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        request.Header(CallbackJob.TaskIdHeader).Should().Be(task.TaskId);
        request.Header(CallbackPoster.EventHeader).Should().Be("task.completed");
        request.Header(CallbackJob.AttemptHeader).Should().Be("1");
        request.Header(CallbackPoster.TimestampHeader).Should().Be(_world.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        // What a receiver checks: the HMAC-SHA256 of the exact body bytes under the shared secret.
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret-for-tests"u8, request.Body));
        request.Header("X-FaceObject-Signature").Should().Be(expected);

        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("task_id").GetString().Should().Be(task.TaskId);
        body.RootElement.GetProperty("status").GetString().Should().Be("completed");

        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Delivered);
        callback.Attempts.Should().Be(1);
        callback.DeliveredAt.Should().Be(_world.Clock.GetUtcNow());
    }

    [Fact]
    public async Task DeliverAsync_SendsNoSignature_WhenNoSecretIsSet()
    {
        var task = await EndedTaskAsync("/hook");
        _options.Secret = null;

        using var http = LoopbackHttp.Client();
        await CreateJob(http).DeliverAsync(task.TaskId, CancellationToken.None);

        _receiver.RequestsTo("/hook").Should().ContainSingle().Which.Header(CallbackSignature.Header).Should().BeNull();
    }

    [Fact]
    public async Task DeliverAsync_ThrowsForRetryAndRecordsAttempt_WhenReceiverAnswers503()
    {
        var task = await EndedTaskAsync("/hook");
        _answer = StatusCodes.Status503ServiceUnavailable;

        using var http = LoopbackHttp.Client();
        var deliver = () => CreateJob(http).DeliverAsync(task.TaskId, CancellationToken.None);

        // Not CallbackFailedException: that one is not retried.
        (await deliver.Should().ThrowAsync<HttpRequestException>()).Which.Should().NotBeOfType<CallbackFailedException>();
        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Pending);
        callback.Attempts.Should().Be(1);
        callback.LastError.Should().Be("The callback URL answered 503 Service Unavailable.");
        callback.LastAttemptAt.Should().Be(_world.Clock.GetUtcNow());
    }

    [Fact]
    public async Task DeliverAsync_DeliversOnRetry_WhenReceiverRecovers()
    {
        var task = await EndedTaskAsync("/hook");
        using var http = LoopbackHttp.Client();
        var job = CreateJob(http);
        _answer = StatusCodes.Status500InternalServerError;
        await job.Invoking(j => j.DeliverAsync(task.TaskId, CancellationToken.None)).Should().ThrowAsync<HttpRequestException>();

        _answer = StatusCodes.Status204NoContent;
        await job.DeliverAsync(task.TaskId, CancellationToken.None);

        _receiver.RequestsTo("/hook").Select(r => r.Header(CallbackJob.AttemptHeader)).Should().Equal("1", "2");
        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Delivered);
        callback.Attempts.Should().Be(2);
        callback.LastError.Should().BeNull();
    }

    [Fact]
    public async Task DeliverAsync_GivesUp_WhenAttemptsAreUsedUp()
    {
        var task = await EndedTaskAsync("/hook");
        _answer = StatusCodes.Status502BadGateway;
        using var http = LoopbackHttp.Client();
        var job = CreateJob(http);

        // RetryDelays "1,1": the first attempt and two retries.
        for (var attempt = 1; attempt < _options.MaxAttempts; attempt++)
        {
            await job.Invoking(j => j.DeliverAsync(task.TaskId, CancellationToken.None)).Should().ThrowAsync<HttpRequestException>();
        }

        await job.Invoking(j => j.DeliverAsync(task.TaskId, CancellationToken.None)).Should().ThrowAsync<CallbackFailedException>()
            .WithMessage("*failed after 3 attempt(s)*502*");
        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Failed);
        callback.Attempts.Should().Be(3);

        // A late redelivery of the job sends nothing more.
        await job.DeliverAsync(task.TaskId, CancellationToken.None);
        _receiver.RequestsTo("/hook").Should().HaveCount(3);
    }

    [Fact]
    public async Task DeliverAsync_ThrowsForRetry_WhenReceiverDoesNotAnswerInTime()
    {
        var task = await EndedTaskAsync("/slow");
        _options.Timeout = TimeSpan.FromSeconds(1);

        using var http = LoopbackHttp.Client();
        var deliver = () => CreateJob(http).DeliverAsync(task.TaskId, CancellationToken.None);

        await deliver.Should().ThrowAsync<HttpRequestException>();
        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Pending);
        callback.LastError.Should().Be("The callback URL did not answer within 1 s (Callbacks:Timeout).");
    }

    [Fact]
    public async Task DeliverAsync_FailsAtFirstAttempt_WhenAddressIsRefused()
    {
        var task = await EndedTaskAsync("/hook");

        // Without Fetch:AllowedHosts a loopback receiver is refused; no retry can change that.
        using var http = LoopbackHttp.Client(allowLoopback: false);
        var deliver = () => CreateJob(http).DeliverAsync(task.TaskId, CancellationToken.None);

        await deliver.Should().ThrowAsync<CallbackFailedException>();
        var callback = (await _world.ReadAsync(task.TaskId)).Callback!;
        callback.Status.Should().Be(CallbackStatus.Failed);
        callback.Attempts.Should().Be(1);
        callback.LastError.Should().StartWith("The callback URL is refused:");
        _receiver.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task DeliverAsync_SendsNothing_WhenAlreadyDelivered()
    {
        var task = await EndedTaskAsync("/hook");
        using var http = LoopbackHttp.Client();
        var job = CreateJob(http);
        await job.DeliverAsync(task.TaskId, CancellationToken.None);

        await job.DeliverAsync(task.TaskId, CancellationToken.None);

        _receiver.RequestsTo("/hook").Should().ContainSingle();
        (await _world.ReadAsync(task.TaskId)).Callback!.Attempts.Should().Be(1);
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    public void Dispose() => _world.Dispose();

    private CallbackJob CreateJob(SafeHttpClient http) =>
        new(_world.Tasks, new CallbackPoster(http, Options.Create(_options), _world.Clock), Options.Create(_options), _world.Clock, _world.Logs.CreateLogger<CallbackJob>());

    /// <summary>A completed task that asked for a callback to <paramref name="path"/> on the receiver.</summary>
    private async Task<TaskRecord> EndedTaskAsync(string path)
    {
        var task = await _world.CreateTaskAsync(callbackUrl: _receiver.BaseUrl + path);
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started);
        (await _world.Tasks.TryCompleteAsync(task.TaskId, new TaskCompletion("""{"detections":[]}""", _world.Clock.GetUtcNow(), 3))).Should().BeTrue();
        return task;
    }
}

using FaceObject.Core.Tasks;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests.Jobs;

public sealed class TaskRunnerTests : IDisposable
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly JobWorld _world = new();
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly TaskRunner _runner;

    public TaskRunnerTests()
    {
        var options = new ProcessingOptions { LeaseDuration = LeaseDuration };
        _runner = new TaskRunner(_world.Tasks, _world.Scheduler, _world.Retention, Options.Create(options), _lifetime, _world.Clock,
            _world.Logs.CreateLogger<TaskRunner>());
    }

    [Fact]
    public async Task StartAsync_StartsTaskUnderLease_WhenTaskIsQueued()
    {
        var task = await _world.CreateTaskAsync();
        _world.Clock.Advance(TimeSpan.FromSeconds(2));

        await using var run = await _runner.StartAsync(task.TaskId, CancellationToken.None);

        run.Should().NotBeNull();
        run!.Record.Status.Should().Be(DetectionTaskStatus.Processing);
        run.Record.StartedAt.Should().Be(_world.Clock.GetUtcNow());
        run.Record.Attempts.Should().Be(1);
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Leased);
    }

    [Fact]
    public async Task StartAsync_ReturnsNull_WhenTaskAlreadyEnded()
    {
        var task = await _world.CreateTaskAsync();
        await using (var first = await _runner.StartAsync(task.TaskId, CancellationToken.None))
        {
            await first!.CompleteAsync("""{"detections":[{"class_name":"face"}]}""", _world.Clock.GetUtcNow(), 5);
        }

        var finished = await _world.ReadAsync(task.TaskId);
        _world.Clock.Advance(TimeSpan.FromMinutes(1));

        // The same job delivered again: nothing runs, and the finished record stays as it was.
        (await _runner.StartAsync(task.TaskId, CancellationToken.None)).Should().BeNull();
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Should().BeEquivalentTo(finished, o => o.Excluding(t => t.Result));
        stored.Result!.Value.GetRawText().Should().Be(finished.Result!.Value.GetRawText());
    }

    [Fact]
    public async Task StartAsync_ReturnsNull_WhenTaskIsGone()
    {
        (await _runner.StartAsync("no-such-task", CancellationToken.None)).Should().BeNull();
        _world.Logs.Entries.Should().Contain(e => e.Message == "Task no-such-task: not run (NotFound)");
    }

    [Fact]
    public async Task StartAsync_ThrowsTaskLeased_WhenAnotherWorkerHoldsLiveLease()
    {
        var task = await _world.CreateTaskAsync();
        await using var first = await _runner.StartAsync(task.TaskId, CancellationToken.None);

        var second = () => _runner.StartAsync(task.TaskId, CancellationToken.None);

        var thrown = await second.Should().ThrowAsync<TaskLeasedException>();
        thrown.Which.RetryAfter.Should().BeGreaterThanOrEqualTo(LeaseDuration).And.BeLessThan(LeaseDuration + TimeSpan.FromSeconds(2));
        (await _world.ReadAsync(task.TaskId)).Attempts.Should().Be(1, "the second delivery did not start the task");
    }

    [Fact]
    public async Task StartAsync_RestartsTask_WhenPreviousWorkersLeaseExpired()
    {
        var task = await _world.CreateTaskAsync();

        // A worker that started the task and died: nobody renews its lease.
        (await _world.TryStartElsewhereAsync(task.TaskId, LeaseDuration)).Should().Be(StartOutcome.Started);
        _world.Clock.Advance(LeaseDuration + TimeSpan.FromSeconds(1));

        await using var run = await _runner.StartAsync(task.TaskId, CancellationToken.None);

        run.Should().NotBeNull();
        run!.Record.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task StartAsync_ReturnsRunThatStopsOnShutdown_WhenHostStopsAndHangfireCancelsJob()
    {
        var task = await _world.CreateTaskAsync();
        using var jobToken = new CancellationTokenSource();
        await using var run = await _runner.StartAsync(task.TaskId, jobToken.Token);

        _lifetime.StopApplication();
        run!.Token.IsCancellationRequested.Should().BeFalse("Hangfire has not cancelled the job yet");
        await jobToken.CancelAsync();

        run.Token.IsCancellationRequested.Should().BeTrue();
    }

    public void Dispose() => _world.Dispose();
}

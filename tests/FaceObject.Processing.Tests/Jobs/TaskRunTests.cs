using FaceObject.Core.Tasks;
using FaceObject.Processing.Jobs;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Tests.Jobs;

public sealed class TaskRunTests : IDisposable
{
    private const string Owner = "this-worker:1";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    private readonly JobWorld _world = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _jobToken = new();

    [Fact]
    public async Task Heartbeat_KeepsLeaseLive_WhenRunLastsLongerThanLease()
    {
        var (run, _) = await StartRunAsync();
        await using (run)
        {
            // Three lease durations in heartbeat-sized steps: without renewals the lease would have expired twice.
            for (var i = 0; i < 9; i++)
            {
                _world.Clock.Advance(LeaseDuration / 3);
            }

            (await _world.TryStartElsewhereAsync(run.Record.TaskId)).Should().Be(StartOutcome.Leased);
            run.LeaseLost.Should().BeFalse();
            run.Token.IsCancellationRequested.Should().BeFalse();
        }
    }

    [Fact]
    public async Task DisposeAsync_ReleasesLease_WhenRunStopsWithoutEnd()
    {
        var (run, _) = await StartRunAsync();
        await run.DisposeAsync();

        // The next delivery need not wait for the lease to expire.
        (await _world.TryStartElsewhereAsync(run.Record.TaskId)).Should().Be(StartOutcome.Started);
    }

    [Fact]
    public async Task DisposeAsync_KeepsUpload_WhenRunStopsWithoutEnd()
    {
        var (run, task) = await StartRunAsync();
        await run.DisposeAsync();

        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().NotBeNull("a retry of the job needs the upload");
    }

    [Fact]
    public async Task Token_IsCancelled_WhenLeaseIsLostToAnotherWorker()
    {
        var (run, task) = await StartRunAsync();
        await using (run)
        {
            // As if this worker's lease had run out (a long pause) and another worker had started the task.
            await _world.Tasks.ReleaseLeaseAsync(task.TaskId, new TaskLease(Owner, LeaseDuration));
            (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started);

            _world.Clock.Advance(LeaseDuration / 3);

            run.LeaseLost.Should().BeTrue();
            run.Token.IsCancellationRequested.Should().BeTrue();
        }

        // Stopping did not give away the other worker's lease.
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Leased);
        _world.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("lease lost", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Token_IsCancelled_WhenJobIsCancelledAndHostIsStopping(bool jobCancelledFirst)
    {
        var (run, _) = await StartRunAsync();
        await using (run)
        {
            if (jobCancelledFirst)
            {
                await _jobToken.CancelAsync();
                await _stopping.CancelAsync();
            }
            else
            {
                await _stopping.CancelAsync();
                await _jobToken.CancelAsync();
            }

            run.Token.IsCancellationRequested.Should().BeTrue();
            run.LeaseLost.Should().BeFalse();
        }
    }

    [Fact]
    public async Task Token_StaysLive_WhenHangfireAbortsJobWithoutShutdown()
    {
        var (run, task) = await StartRunAsync();
        await using (run)
        {
            // Hangfire cancels the job token when it hands the job to a second worker; the lease keeps that worker off.
            await _jobToken.CancelAsync();

            run.Token.IsCancellationRequested.Should().BeFalse();
            _world.Logs.Entries.Should().Contain(e => e.Message.Contains($"Task {task.TaskId}: Hangfire aborted this job", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Token_StaysLive_WhenHostIsStoppingButJobIsNotCancelled()
    {
        var (run, _) = await StartRunAsync();
        await using (run)
        {
            // The host waits for Hangfire to cancel its jobs (after its shutdown timeout); until then the job runs on.
            await _stopping.CancelAsync();

            run.Token.IsCancellationRequested.Should().BeFalse();
        }
    }

    [Fact]
    public async Task ReportProgressAsync_WritesOnce_WhenReportsComeWithinInterval()
    {
        var (run, task) = await StartRunAsync();
        await using (run)
        {
            await run.ReportProgressAsync(0.1);
            _world.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await run.ReportProgressAsync(0.2);
            _world.Clock.Advance(TimeSpan.FromMilliseconds(100));
            await run.ReportProgressAsync(0.3);

            (await _world.ReadAsync(task.TaskId)).Progress.Should().Be(0.1, "the reports 200 ms later fall within the 250 ms interval");

            _world.Clock.Advance(TimeSpan.FromMilliseconds(60));
            await run.ReportProgressAsync(0.4);

            (await _world.ReadAsync(task.TaskId)).Progress.Should().Be(0.4, "250 ms have passed since the last write");
        }
    }

    [Fact]
    public async Task ReportProgressAsync_RoundsAndClamps_WhenProgressIsOutOfRange()
    {
        var (run, task) = await StartRunAsync();
        await using (run)
        {
            await run.ReportProgressAsync(1.7);

            (await _world.ReadAsync(task.TaskId)).Progress.Should().Be(1);
        }
    }

    [Fact]
    public async Task CompleteAsync_WritesFinalProgressAndResult_WhenLastReportWasThrottled()
    {
        var (run, task) = await StartRunAsync();
        await using (run)
        {
            await run.ReportProgressAsync(0.5);
            await run.ReportProgressAsync(0.9);

            (await run.CompleteAsync("""{"detections":[]}""", _world.Clock.GetUtcNow(), 12.5)).Should().BeTrue();
        }

        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Completed);
        stored.Progress.Should().Be(1);
        stored.ProcessingTimeMs.Should().Be(12.5);
        stored.Result!.Value.GetProperty("detections").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task CompleteAsync_DeletesUploadAndEnqueuesCallback_WhenTaskAskedForOne()
    {
        var (run, task) = await StartRunAsync(callbackUrl: "https://example.com/hook");
        await using (run)
        {
            await run.CompleteAsync("{}", _world.Clock.GetUtcNow(), 1);
        }

        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull("nothing reads the upload once the task ended");
        _world.CallbacksEnqueued.Should().Be(1);
    }

    [Fact]
    public async Task CompleteAsync_KeepsFirstResult_WhenTaskAlreadyEnded()
    {
        var (run, task) = await StartRunAsync(callbackUrl: "https://example.com/hook");
        await using (run)
        {
            (await _world.Tasks.TryFailAsync(task.TaskId, "failed elsewhere", _world.Clock.GetUtcNow())).Should().BeTrue();

            (await run.CompleteAsync("{}", _world.Clock.GetUtcNow(), 1)).Should().BeFalse();
        }

        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be("failed elsewhere");
        stored.Result.Should().BeNull();
        _world.CallbacksEnqueued.Should().Be(0, "whoever ended the task enqueues its callback");
    }

    [Fact]
    public async Task FailAsync_MarksTaskFailedAtOnce_WhenInputCanNeverSucceed()
    {
        var (run, task) = await StartRunAsync(callbackUrl: "https://example.com/hook");
        TaskFailedException failure;
        await using (run)
        {
            failure = await run.FailAsync("The bytes are not an image.");
        }

        failure.Message.Should().Be("The bytes are not an image.");
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be("The bytes are not an image.");
        stored.CompletedAt.Should().Be(_world.Clock.GetUtcNow());
        stored.Attempts.Should().Be(1);
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
        _world.CallbacksEnqueued.Should().Be(1);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _jobToken.Dispose();
        _world.Dispose();
    }

    /// <summary>Starts a stored task under this test's lease, as <see cref="TaskRunner"/> does, and opens a run on it.</summary>
    private async Task<(TaskRun Run, TaskRecord Task)> StartRunAsync(string? callbackUrl = null)
    {
        var created = await _world.CreateTaskAsync(payload: [1, 2, 3], callbackUrl: callbackUrl);
        var lease = new TaskLease(Owner, LeaseDuration);
        (await _world.Tasks.TryStartAsync(created.TaskId, _world.Clock.GetUtcNow(), lease)).Outcome.Should().Be(StartOutcome.Started);
        var task = await _world.ReadAsync(created.TaskId);
        var run = new TaskRun(task, lease, _world.Tasks, _world.Scheduler, _world.Retention, _world.Clock,
            _world.Logs.CreateLogger<TaskRun>(), _stopping.Token, _jobToken.Token);
        return (run, task);
    }
}

using FaceObject.Core.Jobs;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Jobs;
using Hangfire.States;

namespace FaceObject.Processing.Tests.Jobs;

public sealed class TaskFailureFilterTests : IDisposable
{
    private readonly JobWorld _world = new();
    private readonly HangfireStateMachine _hangfire;

    public TaskFailureFilterTests()
    {
        _hangfire = new HangfireStateMachine(_world);
    }

    [Fact]
    public async Task OnStateApplied_LeavesTaskAlone_WhileRetriesRemain()
    {
        var task = await StartedTaskAsync();
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        for (var attempt = 0; attempt < HangfireStateMachine.RetryAttempts; attempt++)
        {
            _hangfire.Fail(jobId, new TimeoutException("Redis timed out."));
            _hangfire.State(jobId).Name.Should().Be(ScheduledState.StateName);
        }

        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Processing);
        stored.Error.Should().BeNull();
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().NotBeNull("the retry needs the upload");
        _world.CallbacksEnqueued.Should().Be(0);
    }

    [Fact]
    public async Task OnStateApplied_FailsTaskWithReason_WhenRetriesAreUsedUp()
    {
        var task = await StartedTaskAsync(callbackUrl: "https://example.com/hook");
        var jobId = _hangfire.EnqueueDetection(task.TaskId);
        _world.Clock.Advance(TimeSpan.FromMinutes(3));

        for (var attempt = 0; attempt <= HangfireStateMachine.RetryAttempts; attempt++)
        {
            _hangfire.Fail(jobId, new TimeoutException("Redis timed out."));
        }

        _hangfire.State(jobId).Name.Should().Be(FailedState.StateName);
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be("Processing failed after retries: Redis timed out.");
        stored.CompletedAt.Should().Be(_world.Clock.GetUtcNow());
        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
        _world.CallbacksEnqueued.Should().Be(1);
    }

    [Fact]
    public async Task OnStateApplied_FailsTaskAtOnceWithItsMessage_WhenJobThrewTaskFailed()
    {
        var task = await StartedTaskAsync();
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        _hangfire.Fail(jobId, new TaskFailedException("The bytes are not an image."));

        _hangfire.State(jobId).Name.Should().Be(FailedState.StateName);
        _hangfire.RetryCount(jobId).Should().BeNull("an input error is not retried");
        var stored = await _world.ReadAsync(task.TaskId);
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be("The bytes are not an image.");
    }

    [Fact]
    public async Task OnStateApplied_EnqueuesNoSecondCallback_WhenJobAlreadyFailedTask()
    {
        var task = await StartedTaskAsync(callbackUrl: "https://example.com/hook");
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        // The job failed the task itself (and enqueued its callback) before throwing.
        (await _world.Tasks.TryFailAsync(task.TaskId, "The bytes are not an image.", _world.Clock.GetUtcNow())).Should().BeTrue();
        _hangfire.Fail(jobId, new TaskFailedException("The bytes are not an image."));

        _world.CallbacksEnqueued.Should().Be(0);
        (await _world.ReadAsync(task.TaskId)).Error.Should().Be("The bytes are not an image.");
    }

    [Fact]
    public async Task OnStateApplied_FailsEveryTaskOfABundleThatHadNotEnded_WhenRetriesAreUsedUp()
    {
        var head = await StartedTaskAsync();
        var joined = await _world.CreateTaskAsync(payload: [4, 5, 6]);
        var done = await StartedTaskAsync();
        (await _world.Tasks.TryCompleteAsync(done.TaskId, new TaskCompletion("""{"detections":[]}""", _world.Clock.GetUtcNow(), 1))).Should().BeTrue();
        var jobId = _hangfire.EnqueueDetection(head.TaskId);
        _hangfire.SetParameter(jobId, JobBundles.TasksParameter, $"[\"{joined.TaskId}\",\"{done.TaskId}\"]");

        for (var attempt = 0; attempt <= HangfireStateMachine.RetryAttempts; attempt++)
        {
            _hangfire.Fail(jobId, new TimeoutException("Redis timed out."));
        }

        (await _world.ReadAsync(head.TaskId)).Status.Should().Be(DetectionTaskStatus.Failed);
        (await _world.ReadAsync(joined.TaskId)).Status.Should().Be(DetectionTaskStatus.Failed, "a bundled task never waits for a job that will not run again");
        (await _world.ReadAsync(done.TaskId)).Status.Should().Be(DetectionTaskStatus.Completed, "a task that ended keeps its result");
    }

    [Fact]
    public async Task OnStateApplied_LeavesTaskAlone_WhenCallbackJobFails()
    {
        var task = await StartedTaskAsync();
        var jobId = _hangfire.EnqueueCallback(task.TaskId);

        for (var attempt = 0; attempt <= HangfireStateMachine.RetryAttempts; attempt++)
        {
            _hangfire.Fail(jobId, new HttpRequestException("The callback URL answered 503."));
        }

        _hangfire.State(jobId).Name.Should().Be(FailedState.StateName);
        (await _world.ReadAsync(task.TaskId)).Status.Should().Be(DetectionTaskStatus.Processing);
    }

    public void Dispose() => _world.Dispose();

    private async Task<TaskRecord> StartedTaskAsync(string? callbackUrl = null)
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3], callbackUrl: callbackUrl);
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started);
        return task;
    }
}

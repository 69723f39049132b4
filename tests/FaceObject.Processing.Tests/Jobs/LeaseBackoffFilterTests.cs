using FaceObject.Core.Tasks;
using FaceObject.Processing.Jobs;
using Hangfire.Common;
using Hangfire.States;

namespace FaceObject.Processing.Tests.Jobs;

public sealed class LeaseBackoffFilterTests : IDisposable
{
    private readonly JobWorld _world = new();
    private readonly HangfireStateMachine _hangfire;

    public LeaseBackoffFilterTests()
    {
        _hangfire = new HangfireStateMachine(_world);
    }

    [Fact]
    public async Task OnStateElection_ReschedulesAfterLease_WhenTaskIsLeasedElsewhere()
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3]);
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started);
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        var before = DateTime.UtcNow;
        _hangfire.Fail(jobId, new TaskLeasedException(task.TaskId, TimeSpan.FromSeconds(31)));

        var state = _hangfire.State(jobId);
        state.Name.Should().Be(ScheduledState.StateName);
        state.Reason.Should().Contain("is processing on another worker");

        // Hangfire schedules on its own (system) clock.
        JobHelper.DeserializeDateTime(state.Data["EnqueueAt"]).Should()
            .BeOnOrAfter(before.AddSeconds(31).AddSeconds(-1)).And.BeBefore(DateTime.UtcNow.AddSeconds(32));
        _hangfire.RetryCount(jobId).Should().BeNull("a back-off is not a retry");
        (await _world.ReadAsync(task.TaskId)).Status.Should().Be(DetectionTaskStatus.Processing);
    }

    [Fact]
    public async Task OnStateElection_NeverUsesUpRetries_WhenTaskStaysLeasedElsewhere()
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3]);
        (await _world.TryStartElsewhereAsync(task.TaskId)).Should().Be(StartOutcome.Started);
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        for (var delivery = 0; delivery < HangfireStateMachine.RetryAttempts * 3; delivery++)
        {
            _hangfire.Fail(jobId, new TaskLeasedException(task.TaskId, TimeSpan.FromSeconds(30)));
        }

        _hangfire.State(jobId).Name.Should().Be(ScheduledState.StateName);
        _hangfire.RetryCount(jobId).Should().BeNull();
        (await _world.ReadAsync(task.TaskId)).Status.Should().Be(DetectionTaskStatus.Processing, "the worker holding the lease is still on it");
    }

    [Fact]
    public async Task OnStateElection_LeavesOtherFailuresToRetryPolicy_WhenExceptionIsNotLeased()
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3]);
        var jobId = _hangfire.EnqueueDetection(task.TaskId);

        _hangfire.Fail(jobId, new TimeoutException("Redis timed out."));

        _hangfire.State(jobId).Name.Should().Be(ScheduledState.StateName);
        _hangfire.RetryCount(jobId).Should().Be("1");
    }

    public void Dispose() => _world.Dispose();
}

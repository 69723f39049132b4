using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every task store must have; each store's test class runs all of it.</summary>
public abstract class TaskStoreContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    protected abstract ITaskStore Store { get; }

    /// <summary>Lets <paramref name="time"/> pass for the store's clock (a manual clock, or real time for Redis).</summary>
    protected abstract Task PassTimeAsync(TimeSpan time);

    protected static TaskLease Lease(string owner = "worker-a", TimeSpan? duration = null) => new(owner, duration ?? TimeSpan.FromMinutes(1));

    protected static TaskRecord NewTask() => new()
    {
        TaskId = Guid.NewGuid().ToString(),
        Model = "object",
        Queue = "object",
        Kind = TaskKind.Image,
        CreatedAt = Now,
        Options = new DetectionOptions { Annotate = true, ScoreThreshold = 0.4f },
        PayloadKey = "p1",
    };

    [Fact]
    public async Task GetAsync_ReturnsTheSameRecord_WhenCreated()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        var stored = await Store.GetAsync(task.TaskId);

        stored.Should().NotBeNull();
        stored!.Should().BeEquivalentTo(task, o => o.Excluding(t => t.Result));
        stored!.Status.Should().Be(DetectionTaskStatus.Queued);
    }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenTaskIsUnknown() =>
        (await Store.GetAsync("unknown-" + Guid.NewGuid())).Should().BeNull();

    [Fact]
    public async Task TryStartAsync_MovesToProcessingAndCountsAttempts_WhenQueued()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        (await Store.TryStartAsync(task.TaskId, Now.AddSeconds(1), Lease())).Outcome.Should().Be(StartOutcome.Started);
        (await Store.TryStartAsync(task.TaskId, Now.AddSeconds(2), Lease())).Outcome.Should().Be(StartOutcome.Started);

        var stored = (await Store.GetAsync(task.TaskId))!;
        stored.Status.Should().Be(DetectionTaskStatus.Processing);
        stored.Attempts.Should().Be(2);
        stored.StartedAt.Should().Be(Now.AddSeconds(2));
        stored.QueueTimeMs.Should().Be(2000);
    }

    [Fact]
    public async Task TryStartAsync_ReturnsTheStartedRecord_WhenStarted()
    {
        var task = NewTask() with { SourceUrl = "https://images.example.com/a.jpg", Callback = new CallbackState { Url = "https://hooks.example.com/a" } };
        await Store.CreateAsync(task);
        await Store.SetJobIdAsync(task.TaskId, "42");

        var start = await Store.TryStartAsync(task.TaskId, Now.AddSeconds(3), Lease());

        start.Outcome.Should().Be(StartOutcome.Started);
        start.Task.Should().BeEquivalentTo((await Store.GetAsync(task.TaskId))!, o => o.Excluding(t => t.Result));
        start.Task!.Should().BeEquivalentTo(task with { Status = DetectionTaskStatus.Processing, StartedAt = Now.AddSeconds(3), Attempts = 1, JobId = "42" },
            o => o.Excluding(t => t.Result));
    }

    [Fact]
    public async Task TryStartAsync_ReturnsNoRecord_WhenNotStarted()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));

        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Should().Be(new TaskStart(StartOutcome.Leased));
        await Store.TryFailAsync(task.TaskId, "x", Now);
        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Should().Be(new TaskStart(StartOutcome.AlreadyEnded));
    }

    [Fact]
    public async Task TryStartAsync_ReturnsNotFound_WhenTaskIsUnknown() =>
        (await Store.TryStartAsync("unknown-" + Guid.NewGuid(), Now, Lease())).Outcome.Should().Be(StartOutcome.NotFound);

    [Fact]
    public async Task TryCompleteAsync_StoresTheFirstResultOnly_WhenCalledTwice()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease());

        var first = await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("""{"detections":[{"class_name":"dog"}]}""", Now.AddSeconds(1), 12.5, "out1"));
        var second = await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("""{"detections":[]}""", Now.AddSeconds(2), 99));

        first.Should().BeTrue();
        second.Should().BeFalse();
        var stored = (await Store.GetAsync(task.TaskId))!;
        stored.Status.Should().Be(DetectionTaskStatus.Completed);
        stored.Progress.Should().Be(1);
        stored.ProcessingTimeMs.Should().Be(12.5);
        stored.OutputImageKey.Should().Be("out1");
        stored.Result!.Value.GetProperty("detections")[0].GetProperty("class_name").GetString().Should().Be("dog");
        (await Store.TryStartAsync(task.TaskId, Now, Lease())).Outcome.Should().Be(StartOutcome.AlreadyEnded);
    }

    [Fact]
    public async Task TryFailAsync_DoesNotOverwrite_WhenTaskAlreadyCompleted()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", Now, 1));

        (await Store.TryFailAsync(task.TaskId, "late failure", Now)).Should().BeFalse();

        (await Store.GetAsync(task.TaskId))!.Status.Should().Be(DetectionTaskStatus.Completed);
    }

    [Fact]
    public async Task TryFailAsync_RecordsReason_WhenProcessing()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease());

        (await Store.TryFailAsync(task.TaskId, "bytes do not decode", Now.AddSeconds(1))).Should().BeTrue();

        var stored = (await Store.GetAsync(task.TaskId))!;
        stored.Status.Should().Be(DetectionTaskStatus.Failed);
        stored.Error.Should().Be("bytes do not decode");
        stored.CompletedAt.Should().Be(Now.AddSeconds(1));
    }

    [Fact]
    public async Task TryCancelAsync_CancelsOnlyQueuedTasks()
    {
        var queued = NewTask();
        var started = NewTask();
        await Store.CreateAsync(queued);
        await Store.CreateAsync(started);
        await Store.TryStartAsync(started.TaskId, Now, Lease());

        (await Store.TryCancelAsync(queued.TaskId, Now)).Should().BeTrue();
        (await Store.TryCancelAsync(started.TaskId, Now)).Should().BeFalse();

        (await Store.GetAsync(queued.TaskId))!.Status.Should().Be(DetectionTaskStatus.Cancelled);
        (await Store.TryStartAsync(queued.TaskId, Now, Lease())).Outcome.Should().Be(StartOutcome.AlreadyEnded);
    }

    [Fact]
    public async Task ReportProgressAsync_UpdatesProgress_WhileProcessing()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.ReportProgressAsync(task.TaskId, 0.3);
        (await Store.GetAsync(task.TaskId))!.Progress.Should().Be(0, "a queued task has made no progress");

        await Store.TryStartAsync(task.TaskId, Now, Lease());
        await Store.ReportProgressAsync(task.TaskId, 0.5);

        (await Store.GetAsync(task.TaskId))!.Progress.Should().Be(0.5);
    }

    [Fact]
    public async Task SetJobIdAsync_DoesNotCreateRecord_WhenTaskIsUnknown()
    {
        var id = "unknown-" + Guid.NewGuid();

        await Store.SetJobIdAsync(id, "42");

        (await Store.GetAsync(id)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_RemovesRecord()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        (await Store.DeleteAsync(task.TaskId)).Should().BeTrue();

        (await Store.GetAsync(task.TaskId)).Should().BeNull();
    }

    [Fact]
    public async Task WaitForEndAsync_ReturnsAsSoonAsTaskCompletes_WhenItEndsDuringTheWait()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease());

        var waiting = Store.WaitForEndAsync(task.TaskId, TimeSpan.FromSeconds(20));
        await Task.Delay(200);
        waiting.IsCompleted.Should().BeFalse("the task has not ended yet");
        await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", Now, 1));

        var finished = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        finished!.Status.Should().Be(DetectionTaskStatus.Completed);
    }

    [Fact]
    public async Task WaitForEndAsync_ReturnsCurrentState_WhenTimeoutPasses()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        var result = await Store.WaitForEndAsync(task.TaskId, TimeSpan.FromMilliseconds(300));

        result!.Status.Should().Be(DetectionTaskStatus.Queued);
    }

    [Fact]
    public async Task TryStartAsync_ReturnsLeasedAndChangesNothing_WhenAnotherWorkerHoldsALiveLease()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));

        var second = await Store.TryStartAsync(task.TaskId, Now.AddSeconds(5), Lease("worker-b"));

        second.Outcome.Should().Be(StartOutcome.Leased);
        var stored = (await Store.GetAsync(task.TaskId))!;
        stored.Attempts.Should().Be(1);
        stored.StartedAt.Should().Be(Now);
        stored.Status.Should().Be(DetectionTaskStatus.Processing);
    }

    [Fact]
    public async Task TryStartAsync_RestartsAndCountsAnAttempt_WhenTheLeaseHasExpired()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a", TimeSpan.FromMilliseconds(300)));

        await PassTimeAsync(TimeSpan.FromMilliseconds(600));
        var second = await Store.TryStartAsync(task.TaskId, Now.AddSeconds(5), Lease("worker-b"));

        second.Outcome.Should().Be(StartOutcome.Started);
        (await Store.GetAsync(task.TaskId))!.Attempts.Should().Be(2);
        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeFalse("worker-b holds the lease now");
    }

    [Fact]
    public async Task RenewLeaseAsync_Succeeds_OnlyForTheOwner()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));

        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeTrue();
        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-b"))).Should().BeFalse();
    }

    [Fact]
    public async Task RenewLeaseAsync_KeepsOthersOut_AfterTheFirstDurationHasPassed()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a", TimeSpan.FromMilliseconds(400)));

        await PassTimeAsync(TimeSpan.FromMilliseconds(200));
        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-a", TimeSpan.FromMinutes(1)))).Should().BeTrue();
        await PassTimeAsync(TimeSpan.FromMilliseconds(600));

        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased);
    }

    [Fact]
    public async Task RenewLeaseAsync_TakesBackAnExpiredLease_WhenNoOtherWorkerStarted()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a", TimeSpan.FromMilliseconds(300)));
        await PassTimeAsync(TimeSpan.FromMilliseconds(600));

        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeTrue();

        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased);
    }

    [Fact]
    public async Task RenewLeaseAsync_ReturnsFalse_WhenTheTaskHasEnded()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));
        await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", Now, 1));

        (await Store.RenewLeaseAsync(task.TaskId, Lease("worker-a"))).Should().BeFalse();
    }

    [Fact]
    public async Task ReleaseLeaseAsync_LetsTheNextDeliveryStartAtOnce()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));

        await Store.ReleaseLeaseAsync(task.TaskId, Lease("worker-b"));
        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Leased, "only the owner can release");

        await Store.ReleaseLeaseAsync(task.TaskId, Lease("worker-a"));
        (await Store.TryStartAsync(task.TaskId, Now, Lease("worker-b"))).Outcome.Should().Be(StartOutcome.Started);
    }

    [Fact]
    public async Task GetAsync_ReturnsTheRecordUnchanged_WhileLeased()
    {
        var task = NewTask();
        await Store.CreateAsync(task);
        await Store.TryStartAsync(task.TaskId, Now, Lease("worker-a"));

        var stored = (await Store.GetAsync(task.TaskId))!;

        stored.Should().BeEquivalentTo(task with { Status = DetectionTaskStatus.Processing, StartedAt = Now, Attempts = 1 },
            o => o.Excluding(t => t.Result));
    }

    [Fact]
    public async Task RecordCallbackAttemptAsync_KeepsPendingThenFails_WhenAttemptsRunOut()
    {
        var task = NewTask() with { Callback = new CallbackState { Url = "https://hooks.example.com/a" } };
        await Store.CreateAsync(task);
        await Store.TryCompleteAsync(task.TaskId, new TaskCompletion("{}", Now, 1));

        var first = await Store.RecordCallbackAttemptAsync(task.TaskId, new CallbackAttempt(Now.AddSeconds(1), "answered 500"), maxAttempts: 2);
        var second = await Store.RecordCallbackAttemptAsync(task.TaskId, new CallbackAttempt(Now.AddSeconds(3), "answered 502"), maxAttempts: 2);
        var late = await Store.RecordCallbackAttemptAsync(task.TaskId, CallbackAttempt.Delivered(Now.AddSeconds(9)), maxAttempts: 2);

        first!.Status.Should().Be(CallbackStatus.Pending);
        first.Attempts.Should().Be(1);
        second!.Status.Should().Be(CallbackStatus.Failed);
        late.Should().Be(second, "a failed callback is final");
        var stored = (await Store.GetAsync(task.TaskId))!;
        stored.Callback.Should().Be(second);
        stored.Callback!.LastError.Should().Be("answered 502");
        stored.Status.Should().Be(DetectionTaskStatus.Completed, "the task itself is not touched");
    }

    [Fact]
    public async Task RecordCallbackAttemptAsync_MarksDelivered_WhenAnAttemptSucceeds()
    {
        var task = NewTask() with { Callback = new CallbackState { Url = "https://hooks.example.com/a" } };
        await Store.CreateAsync(task);
        await Store.TryFailAsync(task.TaskId, "no image", Now);

        await Store.RecordCallbackAttemptAsync(task.TaskId, new CallbackAttempt(Now.AddSeconds(1), "timed out"), maxAttempts: 5);
        var delivered = await Store.RecordCallbackAttemptAsync(task.TaskId, CallbackAttempt.Delivered(Now.AddSeconds(2)), maxAttempts: 5);

        delivered!.Status.Should().Be(CallbackStatus.Delivered);
        delivered.Attempts.Should().Be(2);
        delivered.LastError.Should().BeNull();
        delivered.DeliveredAt.Should().Be(Now.AddSeconds(2));
        (await Store.GetAsync(task.TaskId))!.Callback.Should().Be(delivered);
    }

    [Fact]
    public async Task RecordCallbackAttemptAsync_CountsEveryAttempt_WhenAttemptsRace()
    {
        var task = NewTask() with { Callback = new CallbackState { Url = "https://hooks.example.com/a" } };
        await Store.CreateAsync(task);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Store.RecordCallbackAttemptAsync(task.TaskId, new CallbackAttempt(Now.AddSeconds(i), "answered 500"), maxAttempts: 100)));

        (await Store.GetAsync(task.TaskId))!.Callback!.Attempts.Should().Be(8);
    }

    [Fact]
    public async Task RecordCallbackAttemptAsync_ReturnsNull_WhenTaskHasNoCallback()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        (await Store.RecordCallbackAttemptAsync(task.TaskId, CallbackAttempt.Delivered(Now), 3)).Should().BeNull();
        (await Store.RecordCallbackAttemptAsync("unknown-" + Guid.NewGuid(), CallbackAttempt.Delivered(Now), 3)).Should().BeNull();
        (await Store.GetAsync(task.TaskId))!.Callback.Should().BeNull();
    }

    [Fact]
    public async Task GetAsync_KeepsSourceUrlAndCallback_WhenCreatedWithThem()
    {
        var task = NewTask() with
        {
            SourceUrl = "https://images.example.com/dog.jpg",
            Callback = new CallbackState { Url = "https://hooks.example.com/a" },
        };
        await Store.CreateAsync(task);

        var stored = (await Store.GetAsync(task.TaskId))!;

        stored.SourceUrl.Should().Be("https://images.example.com/dog.jpg");
        stored.Callback.Should().Be(new CallbackState { Url = "https://hooks.example.com/a" });
    }

    [Fact]
    public async Task GetStatisticsAsync_CountsEachEndOncePerQueue()
    {
        var queue = "q" + Guid.NewGuid().ToString("N")[..8];
        var completed = NewTask() with { Queue = queue };
        var failed = NewTask() with { Queue = queue };
        var cancelled = NewTask() with { Queue = queue };
        var other = NewTask();
        foreach (var task in new[] { completed, failed, cancelled, other })
        {
            await Store.CreateAsync(task);
        }

        await Store.TryCompleteAsync(completed.TaskId, new TaskCompletion("{}", Now, 1));
        await Store.TryCompleteAsync(completed.TaskId, new TaskCompletion("{}", Now, 1));
        await Store.TryFailAsync(failed.TaskId, "x", Now);
        await Store.TryCancelAsync(cancelled.TaskId, Now);
        await Store.TryCompleteAsync(other.TaskId, new TaskCompletion("{}", Now, 1));

        var stats = await Store.GetStatisticsAsync(queue, DateTimeOffset.UtcNow);

        stats.Should().Be(new QueueStatistics(queue, 1, 1, 1, 3));
    }
}

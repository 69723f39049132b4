using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Jobs;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Memory;
using FaceObject.Testing;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FaceObject.Processing.Tests;

/// <summary>
/// The real parts a job runs against, all on one <see cref="FakeTimeProvider"/>: the in-memory task and payload
/// stores, and the job scheduler over Hangfire's in-memory storage (so an enqueued callback is a real job there).
/// One per test; disposed by the test.
/// </summary>
internal sealed class JobWorld : IDisposable
{
    public JobWorld()
    {
        Tasks = new InMemoryTaskStore(TaskOptions, Clock);
        Payloads = new InMemoryPayloadStore(Clock);
        Scheduler = new HangfireJobScheduler(new BackgroundJobClient(Hangfire), Hangfire);
        Retention = new PayloadRetention(Payloads, Tasks, Logs.CreateLogger<PayloadRetention>());
    }

    /// <summary>Starts at a fixed instant, so times in assertions are exact; moves only when a test advances it.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public IOptions<TaskOptions> TaskOptions { get; } = Options.Create(new TaskOptions());

    public InMemoryTaskStore Tasks { get; }

    public InMemoryPayloadStore Payloads { get; }

    public InMemoryStorage Hangfire { get; } = new();

    public HangfireJobScheduler Scheduler { get; }

    public PayloadRetention Retention { get; }

    public RecordingLoggerFactory Logs { get; } = new();

    /// <summary>Callback deliveries enqueued so far (jobs on the callbacks queue of Hangfire's storage).</summary>
    public long CallbacksEnqueued => Hangfire.GetMonitoringApi().EnqueuedCount(QueueNames.Callbacks);

    /// <summary>A queued image task of model "face" (not stored), with a fresh id and its upload's key.</summary>
    public static TaskRecord NewFaceImageTask(DateTimeOffset createdAt)
    {
        var id = Guid.CreateVersion7().ToString();
        return new TaskRecord
        {
            TaskId = id,
            Model = "face",
            Queue = "face",
            Kind = TaskKind.Image,
            CreatedAt = createdAt,
            PayloadKey = PayloadKeys.Original(id, "jpg"),
        };
    }

    /// <summary>Creates a queued image task of model "face"; with <paramref name="payload"/> its upload is stored too.</summary>
    public async Task<TaskRecord> CreateTaskAsync(byte[]? payload = null, string? callbackUrl = null, string? sourceUrl = null)
    {
        var task = NewFaceImageTask(Clock.GetUtcNow()) with
        {
            SourceUrl = sourceUrl,
            Callback = callbackUrl is null ? null : new CallbackState { Url = callbackUrl },
        };
        await Tasks.CreateAsync(task);
        if (payload is not null)
        {
            await Payloads.PutAsync(task.PayloadKey!, payload, TimeSpan.FromHours(1));
        }

        return task;
    }

    /// <summary>The task as stored now; fails the test when it is gone.</summary>
    public async Task<TaskRecord> ReadAsync(string taskId) =>
        await Tasks.GetAsync(taskId) ?? throw new InvalidOperationException($"Task {taskId} is not stored.");

    /// <summary>Whether a worker with a lease of its own could start the task now (so no other live lease holds it).</summary>
    public async Task<StartOutcome> TryStartElsewhereAsync(string taskId, TimeSpan? leaseDuration = null) =>
        (await Tasks.TryStartAsync(taskId, Clock.GetUtcNow(), new TaskLease("other-worker:" + Guid.NewGuid().ToString("N"), leaseDuration ?? TimeSpan.FromSeconds(30)))).Outcome;

    public void Dispose() => Hangfire.Dispose();
}

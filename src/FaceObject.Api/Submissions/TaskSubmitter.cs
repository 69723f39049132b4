using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;
using Prometheus;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Accepts validated work: stores the payload, creates the task record, enqueues the job on the model's queue.
/// When enqueueing fails the record is marked failed, so nothing is left looking queued that never will run.
/// </summary>
internal sealed partial class TaskSubmitter(
    ITaskStore tasks,
    IPayloadStore payloads,
    IJobScheduler scheduler,
    ModelCatalog catalog,
    QueueCapacity capacity,
    IdempotencyGuard idempotency,
    IOptions<TaskOptions> taskOptions,
    TimeProvider clock,
    ILogger<TaskSubmitter> logger)
{
    private static readonly Counter Submitted = Metrics.CreateCounter(
        "faceobject_tasks_submitted_total", "Tasks accepted by the API.", "model", "kind");

    public Task<TaskRecord> SubmitAsync(string model, TaskKind kind, ReadOnlyMemory<byte> content, string? fileName,
        DetectionOptions options, string? batchId, CancellationToken cancellationToken)
    {
        capacity.EnsureRoom(catalog.QueueOf(model));
        return AcceptAsync(NewId(), model, kind, content, fileName, null, options, batchId, cancellationToken);
    }

    /// <summary>
    /// Submits one file, at most once per <paramref name="idempotencyKey"/> (null: always). The same key with the same
    /// request gives the task made the first time; see <see cref="IdempotencyGuard"/>.
    /// </summary>
    public Task<Idempotent<TaskRecord>> SubmitOnceAsync(string? idempotencyKey, string model, TaskKind kind, ReadOnlyMemory<byte> content,
        string? fileName, DetectionOptions options, CancellationToken cancellationToken)
    {
        var taskId = NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of(kind.ToString(), model, options, [(fileName, content)]),
            taskId,
            () =>
            {
                capacity.EnsureRoom(catalog.QueueOf(model));
                return AcceptAsync(taskId, model, kind, content, fileName, null, options, null, cancellationToken);
            },
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>
    /// An image to fetch from <paramref name="imageUrl"/>: the record keeps the URL and the payload store holds nothing
    /// until a worker has fetched it, so submitting never waits on someone else's server. Once per
    /// <paramref name="idempotencyKey"/> like <see cref="SubmitOnceAsync"/>; the URL stands in for the file.
    /// </summary>
    public Task<Idempotent<TaskRecord>> SubmitUrlOnceAsync(string? idempotencyKey, string model, string imageUrl, DetectionOptions options,
        CancellationToken cancellationToken)
    {
        var taskId = NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of("image_url", model, options, [(imageUrl, ReadOnlyMemory<byte>.Empty)]),
            taskId,
            () =>
            {
                capacity.EnsureRoom(catalog.QueueOf(model));
                return AcceptAsync(taskId, model, TaskKind.Image, ReadOnlyMemory<byte>.Empty, null, imageUrl, options, null, cancellationToken);
            },
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>One image of a batch; the batch checked the queue bound once for all its files.</summary>
    public Task<TaskRecord> SubmitInBatchAsync(string batchId, string model, ReadOnlyMemory<byte> content, string? fileName, DetectionOptions options) =>
        AcceptAsync(NewId(), model, TaskKind.Image, content, fileName, null, options, batchId, CancellationToken.None);

    /// <summary>Refuses with <see cref="QueueFullException"/> when the model's queue is at its bound.</summary>
    public void EnsureRoom(string model) => capacity.EnsureRoom(catalog.QueueOf(model));

    /// <summary>Task and batch ids: version 7 GUIDs, so they sort by creation time.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString();

    private async Task<TaskRecord> AcceptAsync(string taskId, string model, TaskKind kind, ReadOnlyMemory<byte> content, string? fileName,
        string? sourceUrl, DetectionOptions options, string? batchId, CancellationToken cancellationToken)
    {
        var payloadKey = taskId + ":input";
        var task = new TaskRecord
        {
            TaskId = taskId,
            Model = model,
            Queue = catalog.QueueOf(model),
            Kind = kind,
            CreatedAt = clock.GetUtcNow(),
            Options = options,
            PayloadKey = payloadKey,
            FileName = fileName,
            BatchId = batchId,
            SourceUrl = sourceUrl,
            Callback = options.CallbackUrl is { } callbackUrl ? new CallbackState { Url = callbackUrl } : null,
        };

        if (sourceUrl is null)
        {
            await payloads.PutAsync(payloadKey, content, taskOptions.Value.Ttl, cancellationToken);
        }

        // Not cancellable past this point: once the record exists the job must be enqueued or the record failed.
        await tasks.CreateAsync(task, CancellationToken.None);
        string jobId;
        try
        {
            jobId = scheduler.EnqueueDetection(task.Queue, taskId);
        }
        catch (Exception e)
        {
            await tasks.TryFailAsync(taskId, "The task could not be queued: " + e.Message, clock.GetUtcNow(), CancellationToken.None);
            throw new StorageUnavailableException("Enqueueing failed.", e);
        }

        await tasks.SetJobIdAsync(taskId, jobId, CancellationToken.None);
        Submitted.WithLabels(model, kind.ToString().ToLowerInvariant()).Inc();
        LogSubmitted(taskId, model, task.Queue, jobId, content.Length);
        return task with { JobId = jobId };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: accepted for {Model} on queue {Queue} as job {JobId} ({Bytes} bytes)")]
    private partial void LogSubmitted(string taskId, string model, string queue, string jobId, int bytes);
}

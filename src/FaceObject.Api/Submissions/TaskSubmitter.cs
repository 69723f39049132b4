using System.Security.Cryptography;
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
/// <remarks>
/// Round trips to Redis for an upload (payloads in Redis): the upload and the record in one transaction, then
/// Hangfire's enqueue (which must come after the record, since a worker may fetch the job at once, and before the
/// job id write, since it makes the id), then the job id write, which the response does not wait for.
/// </remarks>
internal sealed partial class TaskSubmitter(
    ITaskStore tasks,
    ITaskIntake intake,
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

    /// <summary>
    /// Submits one file, at most once per <paramref name="idempotencyKey"/> (null: always). The same key with the same
    /// request gives the task made the first time; see <see cref="IdempotencyGuard"/>.
    /// </summary>
    /// <param name="taskId">The id the producer chose (a message's <c>task_id</c>), or null for a new one.</param>
    public Task<Idempotent<TaskRecord>> SubmitOnceAsync(string? idempotencyKey, string? taskId, string model, TaskKind kind, ReadOnlyMemory<byte> content,
        string? fileName, DetectionOptions options, CancellationToken cancellationToken)
    {
        taskId ??= NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of(kind.ToString(), model, options, [(fileName, content)]),
            taskId,
            async () => await StoreAndAcceptAsync(
                await NewTaskAsync(taskId, model, kind, options, fileName, null, PayloadKeys.ExtensionOf(content.Span), cancellationToken), content, cancellationToken),
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>One image of a batch, without its own queue-bound check: the batch checked once for all its files (<see cref="EnsureRoomAsync"/>).</summary>
    public Task<TaskRecord> SubmitInBatchAsync(string batchId, string model, ReadOnlyMemory<byte> content, string? fileName, DetectionOptions options) =>
        StoreAndAcceptAsync(NewTask(NewId(), model, TaskKind.Image, options, fileName, batchId, PayloadKeys.ExtensionOf(content.Span)),
            content, CancellationToken.None);

    /// <summary>Refuses with <see cref="QueueFullException"/> when the model's queue is at its bound.</summary>
    public Task EnsureRoomAsync(string model, CancellationToken cancellationToken) =>
        capacity.EnsureRoomAsync(catalog.QueueOf(model), cancellationToken);

    /// <summary>Task and batch ids: version 7 GUIDs, so they sort by creation time.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString();

    /// <summary>
    /// An image to fetch from <paramref name="imageUrl"/>: the record keeps the URL and the payload store holds nothing
    /// until a worker has fetched it, so submitting never waits on someone else's server. The fetched bytes go under
    /// <c>original/{task_id}.{ext}</c>, the extension taken from the URL's path when it names an image type.
    /// </summary>
    /// <remarks>Once per <paramref name="idempotencyKey"/> like <see cref="SubmitOnceAsync"/>; the URL stands in for the file.</remarks>
    public Task<Idempotent<TaskRecord>> SubmitUrlOnceAsync(string? idempotencyKey, string? taskId, string model, string imageUrl, DetectionOptions options,
        CancellationToken cancellationToken, TaskKind kind = TaskKind.Image)
    {
        taskId ??= NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of("image_url", model, options, [(imageUrl, ReadOnlyMemory<byte>.Empty)]),
            taskId,
            async () => await AcceptAsync(
                await NewTaskAsync(taskId, model, kind, options, null, null, PayloadKeys.ExtensionOfPath(imageUrl), cancellationToken) with { SourceUrl = imageUrl }, 0),
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>
    /// Streams an upload to the payload store (an object store sends it in parts without holding it whole) and enqueues
    /// the task. <paramref name="extension"/> names the sniffed container, e.g. <c>mp4</c>. Once per
    /// <paramref name="idempotencyKey"/> like <see cref="SubmitOnceAsync"/>; the file stands in by its SHA-256, which
    /// is only computed (by reading the file once more) when there is a key.
    /// </summary>
    /// <param name="openContent">Opens the upload from its start; called once for the digest (with a key) and once to store it.</param>
    public async Task<Idempotent<TaskRecord>> SubmitStreamOnceAsync(string? idempotencyKey, string model, TaskKind kind, Func<Stream> openContent,
        long length, string extension, string? fileName, DetectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openContent);
        byte[] digest = [];
        if (idempotencyKey is not null)
        {
            await using var content = openContent();
            digest = await SHA256.HashDataAsync(content, cancellationToken);
        }

        var taskId = NewId();
        return await idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of(kind.ToString(), model, options, [(fileName, digest)]),
            taskId,
            async () =>
            {
                var task = await NewTaskAsync(taskId, model, kind, options, fileName, null, extension, cancellationToken);
                await using (var content = openContent())
                {
                    await payloads.PutAsync(task.PayloadKey!, content, length, taskOptions.Value.Ttl, cancellationToken);
                }

                return await AcceptAsync(task, length);
            },
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>
    /// Enqueues a task whose input is the client's object in the bucket; the worker reads it, nothing is copied. Once per
    /// <paramref name="idempotencyKey"/> like <see cref="SubmitOnceAsync"/>; the bucket and key stand in for the file.
    /// </summary>
    public Task<Idempotent<TaskRecord>> SubmitReferenceOnceAsync(string? idempotencyKey, string? taskId, string model, ObjectReference source,
        DetectionOptions options, long size, CancellationToken cancellationToken, TaskKind kind = TaskKind.Image)
    {
        ArgumentNullException.ThrowIfNull(source);
        taskId ??= NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of("image_key", model, options, [(source.Bucket + "/" + source.Key, ReadOnlyMemory<byte>.Empty)]),
            taskId,
            async () => await AcceptAsync(
                await NewTaskAsync(taskId, model, kind, options, Path.GetFileName(source.Key), null, extension: null, cancellationToken) with { Source = source }, size),
            tasks.GetAsync,
            cancellationToken);
    }

    /// <summary>A new task's record, once its queue has room (<see cref="QueueFullException"/> otherwise).</summary>
    private async Task<TaskRecord> NewTaskAsync(string taskId, string model, TaskKind kind, DetectionOptions options, string? fileName,
        string? batchId, string? extension, CancellationToken cancellationToken)
    {
        await capacity.EnsureRoomAsync(QueueOf(model, kind), cancellationToken);
        return NewTask(taskId, model, kind, options, fileName, batchId, extension);
    }

    private TaskRecord NewTask(string taskId, string model, TaskKind kind, DetectionOptions options, string? fileName, string? batchId,
        string? extension)
    {
        var queue = QueueOf(model, kind);
        return new TaskRecord
        {
            TaskId = taskId,
            Model = model,
            Queue = queue,
            Kind = kind,
            CreatedAt = clock.GetUtcNow(),
            Options = options,
            PayloadKey = extension is null ? null : PayloadKeys.Original(taskId, extension),
            FileName = fileName,
            BatchId = batchId,
            Callback = options.CallbackUrl is { } callbackUrl ? new CallbackState { Url = callbackUrl } : null,
        };
    }

    /// <summary>A model's queue; for a pipeline run (<paramref name="model"/> names the pipeline) the pipelines queue, where its first step runs.</summary>
    private string QueueOf(string model, TaskKind kind) => kind == TaskKind.Pipeline ? QueueNames.Pipelines : catalog.QueueOf(model);

    private async Task<TaskRecord> StoreAndAcceptAsync(TaskRecord task, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        // Not cancellable past the record: once it exists the job must be enqueued or the record failed.
        await intake.CreateAsync(task, content, taskOptions.Value.Ttl, cancellationToken);
        return await EnqueueAsync(task, content.Length);
    }

    /// <summary>Creates the record and enqueues the job; the input is already stored (or is fetched or read by the worker).</summary>
    private async Task<TaskRecord> AcceptAsync(TaskRecord task, long bytes)
    {
        await tasks.CreateAsync(task, CancellationToken.None);
        return await EnqueueAsync(task, bytes);
    }

    /// <summary>Enqueues the job of a stored record, and has the job id written to the record.</summary>
    private async Task<TaskRecord> EnqueueAsync(TaskRecord task, long bytes)
    {
        var taskId = task.TaskId;
        string jobId;
        try
        {
            jobId = task.Kind == TaskKind.Pipeline ? scheduler.EnqueuePipelineAdvance(taskId) : scheduler.EnqueueDetection(task.Queue, taskId);
        }
        catch (Exception e)
        {
            await tasks.TryFailAsync(taskId, "The task could not be queued: " + e.Message, clock.GetUtcNow(), CancellationToken.None);
            throw new StorageUnavailableException("Enqueueing failed.", e);
        }

        _ = WriteJobIdAsync(taskId, jobId);
        Submitted.WithLabels(task.Model, task.Kind.ToString().ToLowerInvariant()).Inc();
        LogSubmitted(taskId, task.Model, task.Queue, jobId, bytes);
        return task with { JobId = jobId };
    }

    /// <summary>
    /// Not awaited by the submit: the task is queued and will run either way, and the id on the record only links it
    /// to the dashboard and lets a cancel drop the job early (without it the worker skips the cancelled task). So the
    /// response does not wait a round trip for it, and a failure is logged instead of turning an accepted task into a
    /// 503 the client would resubmit. Later commands on this connection are ordered after it.
    /// </summary>
    private async Task WriteJobIdAsync(string taskId, string jobId)
    {
        try
        {
            await tasks.SetJobIdAsync(taskId, jobId, CancellationToken.None);
        }
        catch (StorageUnavailableException e)
        {
            LogJobIdNotWritten(taskId, jobId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: queued as job {JobId}, but the job id could not be written to its record: {Reason}")]
    private partial void LogJobIdNotWritten(string taskId, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: accepted for {Model} on queue {Queue} as job {JobId} ({Bytes} bytes)")]
    private partial void LogSubmitted(string taskId, string model, string queue, string jobId, long bytes);
}

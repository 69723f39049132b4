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
    IOptions<TaskOptions> taskOptions,
    TimeProvider clock,
    ILogger<TaskSubmitter> logger)
{
    private static readonly Counter Submitted = Metrics.CreateCounter(
        "faceobject_tasks_submitted_total", "Tasks accepted by the API.", "model", "kind");

    public Task<TaskRecord> SubmitAsync(string model, TaskKind kind, ReadOnlyMemory<byte> content, string? fileName,
        DetectionOptions options, string? batchId, CancellationToken cancellationToken) =>
        AcceptAsync(model, kind, content, fileName, null, options, batchId, cancellationToken);

    /// <summary>
    /// An image to fetch from <paramref name="imageUrl"/>: the record keeps the URL and the payload store holds nothing
    /// until a worker has fetched it, so submitting never waits on someone else's server.
    /// </summary>
    public Task<TaskRecord> SubmitUrlAsync(string model, string imageUrl, DetectionOptions options, CancellationToken cancellationToken) =>
        AcceptAsync(model, TaskKind.Image, ReadOnlyMemory<byte>.Empty, null, imageUrl, options, null, cancellationToken);

    private async Task<TaskRecord> AcceptAsync(string model, TaskKind kind, ReadOnlyMemory<byte> content, string? fileName,
        string? sourceUrl, DetectionOptions options, string? batchId, CancellationToken cancellationToken)
    {
        capacity.EnsureRoom(catalog.QueueOf(model));
        var taskId = Guid.CreateVersion7().ToString();
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

using FaceObject.Core.Batches;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Accepts a checked batch: one image task per accepted file (in upload order, tagged with the batch id), then the
/// batch record, both with the task TTL. Refused files are recorded with their reasons. Once the first task is
/// made the batch is finished regardless of the client going away, so no accepted file is lost.
/// </summary>
internal sealed partial class BatchSubmitter(
    TaskSubmitter submitter,
    IBatchStore batches,
    IdempotencyGuard idempotency,
    IOptions<TaskOptions> taskOptions,
    TimeProvider clock,
    ILogger<BatchSubmitter> logger)
{
    /// <param name="idempotencyKey">The client's key, or null.</param>
    /// <param name="model">A configured model key.</param>
    /// <param name="files">Every uploaded file, accepted or not; at least one accepted.</param>
    /// <param name="options">Options applied to every task of the batch.</param>
    /// <param name="cancellationToken">Cancels only the idempotency claim, never a half-made batch.</param>
    public Task<Idempotent<BatchRecord>> SubmitOnceAsync(string? idempotencyKey, string model, IReadOnlyList<BatchFile> files,
        DetectionOptions options, CancellationToken cancellationToken)
    {
        var batchId = TaskSubmitter.NewId();
        return idempotency.RunAsync(
            idempotencyKey,
            () => SubmissionFingerprint.Of("batch", model, options, files.Select(f => (f.FileName, (ReadOnlyMemory<byte>)(f.Content ?? [])))),
            batchId,
            () => CreateAsync(batchId, model, files, options),
            batches.GetAsync,
            cancellationToken);
    }

    private async Task<BatchRecord> CreateAsync(string batchId, string model, IReadOnlyList<BatchFile> files, DetectionOptions options)
    {
        // Once for the whole batch: refusing half-way would leave tasks no batch record lists.
        await submitter.EnsureRoomAsync(model, CancellationToken.None);
        var createdAt = clock.GetUtcNow();
        var entries = new List<BatchEntry>();
        foreach (var file in files.Where(f => f.IsAccepted))
        {
            var task = await submitter.SubmitInBatchAsync(batchId, model, file.Content, file.FileName, options);
            entries.Add(new BatchEntry(task.TaskId, file.FileName));
        }

        var batch = new BatchRecord
        {
            BatchId = batchId,
            Model = model,
            CreatedAt = createdAt,
            Tasks = entries,
            Rejected = files.Where(f => !f.IsAccepted).Select(f => new BatchRejection(f.FileName, f.Problem!.Status, f.Problem.Detail)).ToList(),
        };
        await batches.CreateAsync(batch, taskOptions.Value.Ttl, CancellationToken.None);
        LogSubmitted(batchId, model, entries.Count, batch.Rejected.Count);
        return batch;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId}: {Accepted} task(s) for {Model}, {Rejected} file(s) refused")]
    private partial void LogSubmitted(string batchId, string model, int accepted, int rejected);
}

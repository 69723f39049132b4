using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// Drops a task's upload once the task has ended. Nothing reads it after that (a later delivery of the job finds
/// the task ended and skips it), yet kept in Redis until <c>Tasks:Ttl</c> it was the bulk of Redis memory: about
/// the image size per task for a day, against a few KB for the record and result. In a bucket
/// (<c>Storage:Kind=s3</c>) the upload stays: <c>original/{task_id}</c> is part of the documented layout and the
/// bucket's lifecycle rule expires it. A by-key task has no upload of its own, so a client's object is never touched.
/// When the task store holds the uploads (<see cref="ITaskStore.HoldsPayloads"/>, Redis with <c>Storage:Kind=redis</c>)
/// the end that came before this call has already dropped it, in the same script, and there is nothing left to do.
/// </summary>
internal sealed partial class PayloadRetention(IPayloadStore payloads, ITaskStore tasks, ILogger<PayloadRetention> logger, IObjectBucket? bucket = null)
{
    /// <summary>Best effort: when storage is down the upload stays and its TTL removes it later. Call after ending the task.</summary>
    public async Task ReleaseAsync(TaskRecord task)
    {
        if (task.PayloadKey is null || bucket is not null || tasks.HoldsPayloads)
        {
            return;
        }

        try
        {
            await payloads.DeleteAsync(task.PayloadKey, CancellationToken.None);
        }
        catch (StorageUnavailableException e)
        {
            LogKept(task.TaskId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its upload could not be deleted now and expires with the task instead: {Reason}")]
    private partial void LogKept(string taskId, string reason);
}

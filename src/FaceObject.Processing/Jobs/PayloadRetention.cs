using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// Drops a task's upload once the task has ended. Nothing reads it after that (a later delivery of the job finds
/// the task ended and skips it), yet kept until <c>Tasks:Ttl</c> it was the bulk of Redis memory: about the image
/// size per task for a day, against a few KB for the record and result.
/// </summary>
internal static partial class PayloadRetention
{
    /// <summary>Best effort: when storage is down the payload stays and its TTL removes it later.</summary>
    public static async Task ReleaseAsync(IPayloadStore payloads, TaskRecord task, ILogger logger)
    {
        if (task.PayloadKey is null)
        {
            return;
        }

        try
        {
            await payloads.DeleteAsync(task.PayloadKey, CancellationToken.None);
        }
        catch (StorageUnavailableException e)
        {
            LogKept(logger, task.TaskId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its upload could not be deleted now and expires with the task instead: {Reason}")]
    private static partial void LogKept(ILogger logger, string taskId, string reason);
}

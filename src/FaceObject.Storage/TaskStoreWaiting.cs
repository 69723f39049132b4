using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Storage;

/// <summary>The long-poll logic both stores share: read, wait for the end signal or the timeout, read again.</summary>
internal static class TaskStoreWaiting
{
    public static async Task<TaskRecord?> WaitForEndAsync(
        ITaskStore store, TaskEndSignals signals, string taskId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var task = await store.GetAsync(taskId, cancellationToken);
        if (task is null || task.Status.IsTerminal() || timeout <= TimeSpan.Zero)
        {
            return task;
        }

        var ended = signals.WaitAsync(taskId);

        // Read again after subscribing: the task may have ended between the first read and the subscription.
        task = await store.GetAsync(taskId, cancellationToken);
        if (task is null || task.Status.IsTerminal())
        {
            return task;
        }

        try
        {
            await ended.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            signals.Forget(taskId, ended);
        }

        return await store.GetAsync(taskId, cancellationToken);
    }
}

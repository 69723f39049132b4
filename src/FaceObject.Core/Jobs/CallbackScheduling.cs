using FaceObject.Core.Tasks;

namespace FaceObject.Core.Jobs;

public static class CallbackScheduling
{
    /// <summary>
    /// Call once, from whoever moved the task to its end state (the store said the write was theirs): enqueues the
    /// callback delivery when the task asked for one.
    /// </summary>
    public static void EnqueueCallbackIfAsked(this IJobScheduler scheduler, TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(task);
        if (task.Callback is not null)
        {
            scheduler.EnqueueCallback(task.TaskId);
        }
    }
}

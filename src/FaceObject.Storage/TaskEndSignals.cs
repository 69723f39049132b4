using System.Collections.Concurrent;

namespace FaceObject.Storage;

/// <summary>
/// Wakes long polls when a task ends. Stores call <see cref="Signal"/> (the Redis store on a pub/sub message, so
/// an API instance learns of tasks ended by workers elsewhere). Thread-safe.
/// </summary>
internal sealed class TaskEndSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes when <paramref name="taskId"/> is signalled; shared by all current waiters of that id.</summary>
    public Task WaitAsync(string taskId) =>
        _waiters.GetOrAdd(taskId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal(string taskId)
    {
        if (_waiters.TryRemove(taskId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Drops the entry of a wait that timed out, unless a newer waiter replaced it.</summary>
    public void Forget(string taskId, Task waited)
    {
        if (_waiters.TryGetValue(taskId, out var current) && current.Task == waited && !waited.IsCompleted)
        {
            _waiters.TryRemove(KeyValuePair.Create(taskId, current));
        }
    }
}

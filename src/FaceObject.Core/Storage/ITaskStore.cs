using FaceObject.Core.Tasks;

namespace FaceObject.Core.Storage;

/// <summary>
/// Task records with a TTL. Transitions are atomic and one-way: once a task has ended, nothing changes it
/// again, so a job delivered twice cannot overwrite a finished result. Thread-safe.
/// </summary>
public interface ITaskStore
{
    /// <summary>
    /// True when this store also holds the uploads of the payload store (Redis records with <c>Storage:Kind=redis</c>).
    /// Then <see cref="TryStartAsync"/> returns a task's upload with its record (<see cref="TaskStart.Payload"/>), and
    /// <see cref="TryCompleteAsync"/> and <see cref="TryFailAsync"/> drop it (<see cref="TaskRecord.PayloadKey"/>),
    /// whether or not the task had already ended, in the same step: one round trip each instead of two.
    /// </summary>
    bool HoldsPayloads { get; }

    Task CreateAsync(TaskRecord task, CancellationToken cancellationToken = default);

    Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    Task SetJobIdAsync(string taskId, string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queued (or processing whose lease has expired, after a worker died) becomes processing under
    /// <paramref name="lease"/>, and the attempt count goes up. A task processing under another live lease is left
    /// unchanged (<see cref="StartOutcome.Leased"/>), so a job delivered twice never runs twice at once. A started
    /// task comes back with its record, read in the same atomic step.
    /// </summary>
    Task<TaskStart> TryStartAsync(string taskId, DateTimeOffset startedAt, TaskLease lease, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease by its duration; false when the task is no longer processing under it (it ended, or the lease expired and another worker took over).</summary>
    Task<bool> RenewLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up (a job that stops without ending the task), so the next delivery can start at once. Ending a task releases it too.</summary>
    Task ReleaseLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default);

    Task ReportProgressAsync(string taskId, double progress, CancellationToken cancellationToken = default);

    /// <summary>Stores the result unless the task already ended; returns whether it was written.</summary>
    Task<bool> TryCompleteAsync(string taskId, TaskCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Marks the task failed unless it already ended; returns whether it was written.</summary>
    Task<bool> TryFailAsync(string taskId, string reason, DateTimeOffset completedAt, CancellationToken cancellationToken = default);

    /// <summary>Queued becomes cancelled; returns false when the task is no longer queued.</summary>
    Task<bool> TryCancelAsync(string taskId, DateTimeOffset cancelledAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies one callback delivery attempt atomically (<see cref="CallbackState.After"/>) and returns the callback
    /// state it leaves; null when the task or its callback does not exist. Works on ended tasks: it changes nothing else.
    /// </summary>
    Task<CallbackState?> RecordCallbackAttemptAsync(string taskId, CallbackAttempt attempt, int maxAttempts, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Totals of tasks ended on a queue, over all processes sharing the store, and how many ended in the last minute.</summary>
    Task<QueueStatistics> GetStatisticsAsync(string queue, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the task as soon as it has ended, or as it is when <paramref name="timeout"/> runs out
    /// (null when it does not exist). Used for long polls; does not busy-poll the store.
    /// </summary>
    Task<TaskRecord?> WaitForEndAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default);
}

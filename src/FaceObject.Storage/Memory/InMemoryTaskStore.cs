using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Memory;

/// <summary>
/// Task records in process memory, for the all-in-one mode. Each transition takes one lock, so it is atomic
/// like the Redis scripts; records expire <see cref="TaskOptions.Ttl"/> after creation.
/// </summary>
internal sealed class InMemoryTaskStore(IOptions<TaskOptions> options, TimeProvider clock) : ITaskStore
{
    private readonly Dictionary<string, Entry> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskEndSignals _signals = new();
    private readonly EndedTaskCounter _ended = new();

    /// <summary>Uploads stay in the payload store, even the in-memory one: it is another service, with its own expiry.</summary>
    public bool HoldsPayloads => false;

    public Task CreateAsync(TaskRecord task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        lock (_lock)
        {
            RemoveExpired();
            _tasks[task.TaskId] = new Entry(task, clock.GetUtcNow() + options.Value.Ttl);
        }

        return Task.CompletedTask;
    }

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(TryGetLive(taskId, out var task) ? task : null);
        }
    }

    public Task SetJobIdAsync(string taskId, string jobId, CancellationToken cancellationToken = default)
    {
        Update(taskId, t => t with { JobId = jobId });
        return Task.CompletedTask;
    }

    public Task<TaskStart> TryStartAsync(string taskId, DateTimeOffset startedAt, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!TryGetLive(taskId, out var task))
            {
                return Task.FromResult(new TaskStart(StartOutcome.NotFound));
            }

            if (task.Status.IsTerminal())
            {
                return Task.FromResult(new TaskStart(StartOutcome.AlreadyEnded));
            }

            var entry = _tasks[taskId];
            if (task.Status == DetectionTaskStatus.Processing && IsLeasedByAnother(entry, lease.Owner))
            {
                return Task.FromResult(new TaskStart(StartOutcome.Leased));
            }

            var started = task with { Status = DetectionTaskStatus.Processing, StartedAt = startedAt, Attempts = task.Attempts + 1 };
            _tasks[taskId] = entry with
            {
                Task = started,
                LeaseOwner = lease.Owner,
                LeaseUntil = clock.GetUtcNow() + lease.Duration,
            };
            return Task.FromResult(new TaskStart(StartOutcome.Started, started));
        }
    }

    public Task<bool> RenewLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!TryGetLive(taskId, out var task) || task.Status != DetectionTaskStatus.Processing || IsLeasedByAnother(_tasks[taskId], lease.Owner))
            {
                return Task.FromResult(false);
            }

            _tasks[taskId] = _tasks[taskId] with { LeaseOwner = lease.Owner, LeaseUntil = clock.GetUtcNow() + lease.Duration };
            return Task.FromResult(true);
        }
    }

    public Task ReleaseLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_tasks.TryGetValue(taskId, out var entry) && entry.LeaseOwner == lease.Owner)
            {
                _tasks[taskId] = entry with { LeaseOwner = null };
            }
        }

        return Task.CompletedTask;
    }

    public Task ReportProgressAsync(string taskId, double progress, CancellationToken cancellationToken = default)
    {
        Update(taskId, t => t.Status == DetectionTaskStatus.Processing ? t with { Progress = progress } : t);
        return Task.CompletedTask;
    }

    public Task<bool> TryCompleteAsync(string taskId, TaskCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var result = System.Text.Json.JsonDocument.Parse(completion.ResultJson).RootElement.Clone();
        return Task.FromResult(End(taskId, t => t with
        {
            Status = DetectionTaskStatus.Completed,
            Progress = 1,
            Result = result,
            CompletedAt = completion.CompletedAt,
            ProcessingTimeMs = completion.ProcessingTimeMs,
            OutputImageKey = completion.OutputImageKey,
        }));
    }

    public Task<bool> TryFailAsync(string taskId, string reason, DateTimeOffset completedAt, CancellationToken cancellationToken = default) =>
        Task.FromResult(End(taskId, t => t with { Status = DetectionTaskStatus.Failed, Error = reason, CompletedAt = completedAt }));

    public Task<bool> TryCancelAsync(string taskId, DateTimeOffset cancelledAt, CancellationToken cancellationToken = default)
    {
        bool cancelled;
        lock (_lock)
        {
            cancelled = TryGetLive(taskId, out var task) && task.Status == DetectionTaskStatus.Queued;
            if (cancelled)
            {
                Replace(task! with { Status = DetectionTaskStatus.Cancelled, CompletedAt = cancelledAt });
                _ended.Record(task.Queue, DetectionTaskStatus.Cancelled, clock.GetUtcNow());
            }
        }

        if (cancelled)
        {
            _signals.Signal(taskId);
        }

        return Task.FromResult(cancelled);
    }

    public Task<CallbackState?> RecordCallbackAttemptAsync(string taskId, CallbackAttempt attempt, int maxAttempts, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!TryGetLive(taskId, out var task) || task.Callback is null)
            {
                return Task.FromResult<CallbackState?>(null);
            }

            var next = task.Callback.After(attempt, maxAttempts);
            Replace(task with { Callback = next });
            return Task.FromResult<CallbackState?>(next);
        }
    }

    public Task<bool> DeleteAsync(string taskId, CancellationToken cancellationToken = default)
    {
        bool removed;
        lock (_lock)
        {
            removed = _tasks.Remove(taskId);
        }

        _signals.Signal(taskId);
        return Task.FromResult(removed);
    }

    public Task<QueueStatistics> GetStatisticsAsync(string queue, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_ended.Get(queue, now));
        }
    }

    public Task<TaskRecord?> WaitForEndAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        TaskStoreWaiting.WaitForEndAsync(this, _signals, taskId, timeout, cancellationToken);

    private bool End(string taskId, Func<TaskRecord, TaskRecord> finish)
    {
        lock (_lock)
        {
            if (!TryGetLive(taskId, out var task) || task.Status.IsTerminal())
            {
                return false;
            }

            var ended = finish(task);
            _tasks[taskId] = _tasks[taskId] with { Task = ended, LeaseOwner = null };
            _ended.Record(ended.Queue, ended.Status, clock.GetUtcNow());
        }

        _signals.Signal(taskId);
        return true;
    }

    private void Update(string taskId, Func<TaskRecord, TaskRecord> change)
    {
        lock (_lock)
        {
            if (TryGetLive(taskId, out var task))
            {
                Replace(change(task));
            }
        }
    }

    private void Replace(TaskRecord task) => _tasks[task.TaskId] = _tasks[task.TaskId] with { Task = task };

    private bool IsLeasedByAnother(Entry entry, string owner) =>
        entry.LeaseOwner is { } holder && holder != owner && entry.LeaseUntil > clock.GetUtcNow();

    private bool TryGetLive(string taskId, out TaskRecord task)
    {
        if (_tasks.TryGetValue(taskId, out var entry) && entry.ExpiresAt > clock.GetUtcNow())
        {
            task = entry.Task;
            return true;
        }

        task = null!;
        return false;
    }

    /// <summary>A record with its expiry and the lease of the worker processing it (no owner: not leased).</summary>
    private sealed record Entry(TaskRecord Task, DateTimeOffset ExpiresAt, string? LeaseOwner = null, DateTimeOffset LeaseUntil = default);

    /// <summary>Amortised clean-up on create keeps memory bounded without a timer.</summary>
    private void RemoveExpired()
    {
        if (_tasks.Count % 256 != 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _tasks.Where(e => e.Value.ExpiresAt <= now).ToList())
        {
            _ = entry;
            _tasks.Remove(id);
        }
    }
}

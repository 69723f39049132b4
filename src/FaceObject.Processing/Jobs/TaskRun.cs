using System.Diagnostics;
using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Telemetry;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// One worker's attempt at one task, from start to result: it keeps the task's lease alive, throttles progress
/// writes, records the end with its metrics, and gives the lease back when it stops without an end. Owned by one
/// job execution; dispose it when the job returns.
/// </summary>
/// <remarks>
/// <see cref="Token"/> is what long work should observe. It is cancelled when the lease is lost (another worker
/// took the task over) or when the process is really shutting down. Hangfire also cancels its job token when the
/// job's state is changed from elsewhere, which happens when the queue hands the same job to a second worker after
/// its invisibility timeout; the lease already keeps that second worker off, so this run carries on instead of
/// throwing away minutes of video work.
/// </remarks>
internal sealed partial class TaskRun : IAsyncDisposable
{
    /// <summary>At most one progress write per this interval; the first always goes through, and completing the task writes progress 1.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    private readonly TaskLease _lease;
    private readonly ITaskStore _tasks;
    private readonly IJobScheduler _scheduler;
    private readonly PayloadRetention _retention;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onJobCancelled;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly ITimer _heartbeat;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastProgress;
    private int _renewing;
    private Task _renewal = Task.CompletedTask;
    private volatile bool _ended;

    public TaskRun(TaskRecord task, TaskLease lease, ITaskStore tasks, IJobScheduler scheduler, PayloadRetention retention, TimeProvider clock, ILogger logger,
        CancellationToken stopping, CancellationToken jobToken, PayloadRead? payload = null)
    {
        Record = task;
        Payload = payload;
        _lease = lease;
        _tasks = tasks;
        _scheduler = scheduler;
        _retention = retention;
        _clock = clock;
        _logger = logger;
        _stopping = stopping;

        // Whichever comes second of "Hangfire cancelled the job" and "the host is stopping" means shutdown.
        _onJobCancelled = jobToken.Register(() => OnJobCancelled(stopping.IsCancellationRequested));
        _onStopping = stopping.Register(() =>
        {
            if (jobToken.IsCancellationRequested)
            {
                Stop();
            }
        });
        var period = lease.Duration / 3;
        _heartbeat = clock.CreateTimer(_ => _renewal = RenewAsync(), null, period, period);
    }

    public TaskRecord Record { get; }

    /// <summary>The task's payload when the task store read it with the start (<see cref="TaskStart.Payload"/>); null when it did not.</summary>
    public PayloadRead? Payload { get; }

    /// <summary>Cancelled when this run must stop: the lease was lost or the process is shutting down.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once another worker has taken the task over; that worker stores the result, this run just stops.</summary>
    public bool LeaseLost { get; private set; }

    /// <summary>When the run started, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long StartTimestamp => _started;

    /// <summary>Milliseconds since the run started, rounded as results show them.</summary>
    public double ElapsedMs => Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 2);

    /// <summary>Stores progress (0..1) while processing, at most every 250 ms; later calls within that time are dropped.</summary>
    public async Task ReportProgressAsync(double progress)
    {
        var now = _clock.GetTimestamp();
        var last = Interlocked.Read(ref _lastProgress);
        if (last != 0 && _clock.GetElapsedTime(last, now) < ProgressInterval)
        {
            return;
        }

        Interlocked.Exchange(ref _lastProgress, now);
        await _tasks.ReportProgressAsync(Record.TaskId, Math.Round(Math.Clamp(progress, 0, 1), 3), Token);
    }

    /// <summary>Stores the result unless the task already ended, then enqueues its callback if it asked for one; returns whether it was written.</summary>
    public async Task<bool> CompleteAsync(string resultJson, DateTimeOffset processedAt, double processingTimeMs, string? outputImageKey = null)
    {
        var written = await _tasks.TryCompleteAsync(Record.TaskId, new TaskCompletion(resultJson, processedAt, processingTimeMs, outputImageKey), CancellationToken.None);
        _ended = true;
        await _retention.ReleaseAsync(Record);
        if (written)
        {
            ProcessingMetrics.Completed.WithLabels(Record.Model).Inc();
            ProcessingMetrics.Inference.WithLabels(Record.Model).Observe(processingTimeMs / 1000);
            ProcessingMetrics.EndToEnd.WithLabels(Record.Model).Observe((processedAt - Record.CreatedAt).TotalSeconds);
            _scheduler.EnqueueCallbackIfAsked(Record);
        }

        return written;
    }

    /// <summary>Marks the task failed (and enqueues its callback if it asked for one); returns the exception that tells Hangfire not to retry.</summary>
    public async Task<TaskFailedException> FailAsync(string reason)
    {
        if (await _tasks.TryFailAsync(Record.TaskId, reason, _clock.GetUtcNow(), CancellationToken.None))
        {
            ProcessingMetrics.Failed.WithLabels(Record.Model).Inc();
            _scheduler.EnqueueCallbackIfAsked(Record);
        }

        _ended = true;
        await _retention.ReleaseAsync(Record);
        LogFailed(Record.TaskId, Record.Model, reason);
        return new TaskFailedException(reason);
    }

    public async ValueTask DisposeAsync()
    {
        await _heartbeat.DisposeAsync();
        await _renewal;
        await _onJobCancelled.DisposeAsync();
        await _onStopping.DisposeAsync();
        if (!_ended)
        {
            // Stopped without an end (shutdown, lost lease, transient fault): the next delivery need not wait for expiry.
            try
            {
                await _tasks.ReleaseLeaseAsync(Record.TaskId, _lease, CancellationToken.None);
            }
            catch (StorageUnavailableException)
            {
                // The lease expires by itself.
            }
        }

        _stop.Dispose();
    }

    private void OnJobCancelled(bool stopping)
    {
        if (stopping || _stopping.IsCancellationRequested)
        {
            Stop();
        }
        else
        {
            LogAbortIgnored(Record.TaskId);
        }
    }

    private async Task RenewAsync()
    {
        if (_ended || Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return;
        }

        try
        {
            if (!await _tasks.RenewLeaseAsync(Record.TaskId, _lease, CancellationToken.None) && !_ended)
            {
                LogLeaseLost(Record.TaskId);
                LeaseLost = true;
                Stop();
            }
        }
        catch (StorageUnavailableException e)
        {
            // Keep going: nobody else can take the task over while storage is down, and an expired lease that
            // nobody took is taken back by the next renewal.
            LogRenewFailed(Record.TaskId, e.Message);
        }
        catch (ObjectDisposedException)
        {
            // The run ended while this renewal was in flight.
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: {Model} failed: {Reason}")]
    private partial void LogFailed(string taskId, string model, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: Hangfire aborted this job (it was handed to another worker); the lease keeps the task here, so it carries on")]
    private partial void LogAbortIgnored(string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: lease lost to another worker; stopping this run")]
    private partial void LogLeaseLost(string taskId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: lease renewal failed ({Reason}); retrying at the next beat")]
    private partial void LogRenewFailed(string taskId, string reason);
}

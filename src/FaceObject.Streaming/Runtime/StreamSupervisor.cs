using System.Collections.Concurrent;
using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using FaceObject.Processing.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Streaming.Runtime;

/// <summary>
/// Takes unowned streams up to <see cref="StreamWorkerOptions.Capacity"/>, keeps their leases renewed, and stops a
/// stream at once when its renewal is refused. A worker holding more streams waits longer before claiming, so new
/// streams spread over the workers. On a graceful stop every lease is released, so another worker takes the
/// streams over at once instead of after the lease time.
/// </summary>
internal sealed partial class StreamSupervisor(
    IStreamOwnership ownership,
    IStreamStore store,
    StreamSessionFactory sessions,
    LoadedModels models,
    IOptions<StreamWorkerOptions> options,
    TimeProvider time,
    ILogger<StreamSupervisor> logger) : BackgroundService
{
    /// <summary>How much longer a worker waits before claiming, per stream it already reads.</summary>
    private static readonly TimeSpan SpreadDelayPerStream = TimeSpan.FromMilliseconds(50);

    private readonly StreamWorkerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>The stream ids this worker reads now.</summary>
    public IReadOnlyCollection<string> Owned => [.. _running.Keys];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!models.IsLoaded)
        {
            await Task.Delay(100, stoppingToken);
        }

        await using var changes = await SubscribeToChangesAsync(stoppingToken);
        var renewals = RenewLoopAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ClaimAsync(stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                LogStorageDown(logger, e.Message);
            }

            try
            {
                await _wake.WaitAsync(_options.ClaimInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await renewals;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var stopping = _running.Values.Select(async running =>
        {
            await running.Stop.CancelAsync();
            await running.Task;
            if (!running.Session.LeaseLost)
            {
                try
                {
                    await ownership.ReleaseAsync(running.Session.Lease, cancellationToken);
                }
                catch (StorageUnavailableException)
                {
                    // The lease lapses on its own.
                }
            }

            running.Stop.Dispose();
        });
        await Task.WhenAll(stopping);
        LogHandedOver(logger, _running.Count);
        _running.Clear();
        StreamMetrics.Owned.Set(0);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private async Task<IAsyncDisposable?> SubscribeToChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ownership.OnChangeAsync(() =>
            {
                _wake.Release();
                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            // Polling every ClaimInterval still finds new streams.
            LogStorageDown(logger, e.Message);
            return null;
        }
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        if (Reading >= _options.Capacity)
        {
            return;
        }

        var unowned = await ownership.ListUnownedAsync(cancellationToken);
        if (unowned.Count == 0)
        {
            return;
        }

        await Task.Delay(SpreadDelayPerStream * Reading, time, cancellationToken);
        foreach (var id in unowned)
        {
            if (Reading >= _options.Capacity)
            {
                return;
            }

            if (_running.ContainsKey(id) || await store.GetAsync(id, cancellationToken) is not { } view || !sessions.CanRun(view.Spec))
            {
                continue;
            }

            if (await ownership.TryAcquireAsync(id, StreamSessionFactory.Owner, _options.LeaseDuration, cancellationToken) is { } lease)
            {
                Start(view.Spec, lease);
            }
        }
    }

    /// <summary>
    /// Streams being read. A stream that failed for good keeps its lease (so that no worker retries it until it is
    /// deleted) but not its place in <see cref="StreamWorkerOptions.Capacity"/>.
    /// </summary>
    private int Reading => _running.Values.Count(r => !r.Task.IsCompleted);

    private void Start(StreamSpec spec, StreamLease lease)
    {
        var session = sessions.Create(spec, lease);
        var stop = new CancellationTokenSource();
        var running = new Running(session, stop, Task.Run(() => RunAsync(session, stop.Token)));
        _running[spec.Id] = running;
        StreamMetrics.Owned.Set(_running.Count);
        LogTaken(logger, spec.Id, spec.RedactedUrl, lease.Fence);
    }

    private async Task RunAsync(StreamSession session, CancellationToken stop)
    {
        try
        {
            await session.RunAsync(stop);
        }
#pragma warning disable CA1031 // One stream's bug must not take the worker's other streams down; the lease stays held, so no other worker loops on it either.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCrashed(logger, e, session.Spec.Id);
        }
        finally
        {
            session.Dispose();
        }
    }

    /// <summary>Renews every lease each <see cref="StreamWorkerOptions.RenewInterval"/>; a refused or lapsed one stops its stream at once.</summary>
    private async Task RenewLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var (id, running) in _running)
                {
                    if (!await RenewAsync(running, stoppingToken))
                    {
                        await running.Stop.CancelAsync();
                        _running.TryRemove(id, out _);
                        StreamMetrics.Owned.Set(_running.Count);
                        if (await StillExistsAsync(id, stoppingToken))
                        {
                            LogLost(logger, id);
                        }
                        else
                        {
                            // Deleted, or its last subscriber left: the ordinary end of a stream.
                            LogDeleted(logger, id);
                        }

                        _ = running.Task.ContinueWith(_ => running.Stop.Dispose(), TaskScheduler.Default);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> StillExistsAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(id, cancellationToken) is not null;
        }
        catch (StorageUnavailableException)
        {
            return true;
        }
    }

    private async Task<bool> RenewAsync(Running running, CancellationToken cancellationToken)
    {
        if (running.Session.LeaseLost)
        {
            return false;
        }

        try
        {
            var renewed = await ownership.RenewAsync(running.Session.Lease, _options.LeaseDuration, cancellationToken);
            running.LastRenewed = time.GetTimestamp();
            return renewed;
        }
        catch (StorageUnavailableException e)
        {
            LogStorageDown(logger, e.Message);

            // Without storage nobody can take the stream over; but once the lease would have run out another worker
            // may hold it when storage is back, so stop rather than risk two readers.
            return time.GetElapsedTime(running.LastRenewed) < _options.LeaseDuration;
        }
    }

    private sealed class Running(StreamSession session, CancellationTokenSource stop, Task task)
    {
        public StreamSession Session { get; } = session;

        public CancellationTokenSource Stop { get; } = stop;

        public Task Task { get; } = task;

        public long LastRenewed { get; set; } = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId} ({Url}) taken with fence {Fence}")]
    private static partial void LogTaken(ILogger logger, string streamId, string url, long fence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId} was deleted (or its last subscriber left); stopped")]
    private static partial void LogDeleted(ILogger logger, string streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: lease lost (taken by another worker after a missed renewal); stopped")]
    private static partial void LogLost(ILogger logger, string streamId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId} stopped on an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} stream(s) handed over")]
    private static partial void LogHandedOver(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Streams: storage is unavailable ({Reason})")]
    private static partial void LogStorageDown(ILogger logger, string reason);
}

using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Supervises one <see cref="IFrameSource"/>: runs one attempt at a time, and a watchdog restarts it when no frame
/// came for the stall timeout (or for the connect timeout after an attempt began), waiting a back-off that starts at
/// <see cref="CameraReaderOptions.InitialBackoff"/>, doubles up to <see cref="CameraReaderOptions.MaxBackoff"/> and
/// resets once frames flow again. Gives up (<see cref="CameraState.Failed"/>) only when the source reports a
/// permanent error before the reader ever had a frame. Thread-safe.
/// </summary>
internal sealed partial class CameraReader : ICameraReader
{
    /// <summary>Camera fps is measured over frames received within this window.</summary>
    private static readonly TimeSpan FpsWindow = TimeSpan.FromSeconds(5);

    /// <summary>How long stopping waits for an attempt to end; a source that ignores cancellation is abandoned after it.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly IFrameSource _frames;
    private readonly CameraReaderOptions _options;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FrameSlot _slot = new();
    private readonly CancellationTokenSource _stop;
    private readonly Lock _lock = new();
    private readonly Queue<long> _frameTimes = new();
    private CameraState _state = CameraState.Connecting;
    private int _reconnects;
    private string? _lastError;
    private DateTimeOffset? _lastFrameAt;
    private long _lastFrameTicks;
    private int _width;
    private int _height;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public CameraReader(CameraSource source, IFrameSource frames, CameraReaderOptions options, TimeSpan stallTimeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        Source = source;
        _frames = frames;
        _options = options;
        _stallTimeout = stallTimeout;
        _time = time;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public event EventHandler<CameraStateChange>? StateChanged;

    public CameraSource Source { get; }

    public CameraStatus Status
    {
        get
        {
            lock (_lock)
            {
                return Snapshot();
            }
        }
    }

    public void Start() => _loop = Task.Run(() => SuperviseAsync(_stop.Token));

    public ValueTask<CameraFrame> NextFrameAsync(CancellationToken cancellationToken) => _slot.TakeAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(StopWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogStopAbandoned(_logger, Source.Redacted);
        }
        catch (OperationCanceledException)
        {
        }

        _slot.Dispose();
        _stop.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var backoff = _options.InitialBackoff;
        var everLive = false;
        while (!stop.IsCancellationRequested)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var received = _slot.Received;
            var token = attempt.Token;

            // Task.Run: a source that blocks before its first await must not block the watchdog.
            var run = Task.Run(() => _frames.RunAsync(image => OnFrame(image, token), token), token);
            var stalled = await WatchAsync(run, received, stop).ConfigureAwait(false);
            await attempt.CancelAsync().ConfigureAwait(false);
            var error = await EndAttemptAsync(run).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            var hadFrames = _slot.Received > received;
            everLive |= hadFrames;
            if (hadFrames)
            {
                backoff = _options.InitialBackoff;
            }

            if (stalled)
            {
                var waited = hadFrames ? _stallTimeout : Max(_stallTimeout, _options.ConnectTimeout);
                Transition(CameraState.Stalled, hadFrames
                    ? $"No frame for {waited.TotalSeconds:0.#} s; restarting the reader."
                    : $"No frame within {waited.TotalSeconds:0.#} s of connecting; trying again.");
            }
            else if (error is CameraSourceException { Permanent: true } or CameraSourceRefusedException && !everLive)
            {
                Transition(CameraState.Failed, error.Message);
                _slot.Fail(error.Message);
                return;
            }
            else
            {
                Transition(CameraState.Reconnecting, error?.Message ?? "The camera closed the stream; reconnecting.");
            }

            lock (_lock)
            {
                _reconnects++;
            }

            Transition(CameraState.Reconnecting, null);
            try
            {
                await Task.Delay(backoff, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = Min(backoff * 2, _options.MaxBackoff);
        }
    }

    /// <summary>Waits until the attempt ends (false) or the watchdog sees no frame in time (true).</summary>
    private async Task<bool> WatchAsync(Task run, long receivedBefore, CancellationToken stop)
    {
        var started = _time.GetTimestamp();
        var connectLimit = Max(_stallTimeout, _options.ConnectTimeout);
        while (!run.IsCompleted && !stop.IsCancellationRequested)
        {
            var gotFrame = _slot.Received > receivedBefore;
            var since = gotFrame ? Interlocked.Read(ref _lastFrameTicks) : started;
            var left = (gotFrame ? _stallTimeout : connectLimit) - _time.GetElapsedTime(since);
            if (left <= TimeSpan.Zero)
            {
                return true;
            }

            try
            {
                await Task.WhenAny(run, Task.Delay(left, _time, stop)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return false;
    }

    /// <summary>Waits for a cancelled or finished attempt and returns its error, if any.</summary>
    private async Task<Exception?> EndAttemptAsync(Task run)
    {
        try
        {
            await run.WaitAsync(StopWait).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException)
        {
            LogStopAbandoned(_logger, Source.Redacted);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
#pragma warning disable CA1031 // Any failure of an attempt is reported in the status and retried, never thrown.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (e is not CameraSourceException and not CameraSourceRefusedException)
            {
                LogAttemptFailed(_logger, Source.Redacted, e);
            }

            return e;
        }
    }

    private void OnFrame(Mat image, CancellationToken attempt)
    {
        if (attempt.IsCancellationRequested || image.Empty())
        {
            image.Dispose();
            return;
        }

        var now = _time.GetUtcNow();
        var ticks = _time.GetTimestamp();
        lock (_lock)
        {
            _width = image.Width;
            _height = image.Height;
            _lastFrameAt = now;
            _frameTimes.Enqueue(ticks);
            PruneFrameTimes(ticks);
        }

        _slot.Publish(image, now);
        Interlocked.Exchange(ref _lastFrameTicks, ticks);
        Transition(CameraState.Live, null);
    }

    /// <summary>Moves to <paramref name="state"/> (recording <paramref name="error"/> when given) and raises <see cref="StateChanged"/>.</summary>
    private void Transition(CameraState state, string? error)
    {
        CameraState previous;
        CameraStatus status;
        lock (_lock)
        {
            previous = _state;
            if (error is not null)
            {
                _lastError = error;
            }

            if (previous == state)
            {
                return;
            }

            _state = state;
            status = Snapshot();
        }

        if (state is CameraState.Failed or CameraState.Stalled)
        {
            LogStateWarning(_logger, Source.Redacted, state, status.LastError);
        }
        else
        {
            LogState(_logger, Source.Redacted, state);
        }

        try
        {
            StateChanged?.Invoke(this, new CameraStateChange(Source, previous, status, _time.GetUtcNow()));
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the reader.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandlerFailed(_logger, Source.Redacted, e);
        }
    }

    /// <summary>Call under <see cref="_lock"/>.</summary>
    private CameraStatus Snapshot()
    {
        var now = _time.GetTimestamp();
        PruneFrameTimes(now);
        var fps = 0.0;
        if (_frameTimes.Count >= 2)
        {
            var span = _time.GetElapsedTime(_frameTimes.Peek(), _frameTimes.Last());
            fps = span > TimeSpan.Zero ? (_frameTimes.Count - 1) / span.TotalSeconds : 0;
        }

        return new CameraStatus(_state, Math.Round(fps, 2), _slot.Received, _slot.Skipped, _reconnects, _lastError, _lastFrameAt, _width, _height);
    }

    private void PruneFrameTimes(long now)
    {
        while (_frameTimes.Count > 0 && _time.GetElapsedTime(_frameTimes.Peek(), now) > FpsWindow)
        {
            _frameTimes.Dequeue();
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {Source}: {State}")]
    private static partial void LogState(ILogger logger, string source, CameraState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Source}: {State}: {Error}")]
    private static partial void LogStateWarning(ILogger logger, string source, CameraState state, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Source}: an attempt failed unexpectedly")]
    private static partial void LogAttemptFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Camera {Source}: a StateChanged handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera {Source}: the frame source did not stop within 5 s; abandoned")]
    private static partial void LogStopAbandoned(ILogger logger, string source);
}

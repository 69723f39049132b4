using OpenCvSharp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// The latest-frame slot: holds at most one frame, the newest. Publishing over a frame nobody took disposes it and
/// counts it as skipped, so the consumer always gets the newest frame and never an older one than it already had.
/// Thread-safe: one producer (the frame source) and one consumer at a time.
/// </summary>
internal sealed class FrameSlot : IDisposable
{
    private readonly Lock _lock = new();
    private CameraFrame? _frame;
    private long _sequence;
    private long _skipped;
    private TaskCompletionSource? _waiter;
    private string? _failure;
    private bool _disposed;

    /// <summary>Frames published so far (the last sequence number).</summary>
    public long Received => Interlocked.Read(ref _sequence);

    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Takes ownership of <paramref name="image"/> and makes it the newest frame; returns its sequence number.</summary>
    public long Publish(Mat image, DateTimeOffset capturedAt)
    {
        CameraFrame? replaced;
        TaskCompletionSource? waiter;
        long sequence;
        lock (_lock)
        {
            if (_disposed)
            {
                image.Dispose();
                return _sequence;
            }

            sequence = Interlocked.Increment(ref _sequence);
            replaced = _frame;
            if (replaced is not null)
            {
                Interlocked.Increment(ref _skipped);
            }

            _frame = new CameraFrame(image, sequence, capturedAt);
            waiter = _waiter;
            _waiter = null;
        }

        replaced?.Dispose();
        waiter?.TrySetResult();
        return sequence;
    }

    /// <summary>Waits for a frame newer than the last one taken and hands it over.</summary>
    public async ValueTask<CameraFrame> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_frame is { } frame)
                {
                    _frame = null;
                    return frame;
                }

                if (_failure is not null)
                {
                    throw new CameraFailedException(_failure);
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>No frame will ever come: waiting consumers get <see cref="CameraFailedException"/> with <paramref name="reason"/>.</summary>
    public void Fail(string reason)
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _failure = reason;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    public void Dispose()
    {
        CameraFrame? frame;
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _disposed = true;
            frame = _frame;
            _frame = null;
            waiter = _waiter;
            _waiter = null;
        }

        frame?.Dispose();
        waiter?.TrySetResult();
    }
}

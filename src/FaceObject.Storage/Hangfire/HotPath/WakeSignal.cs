namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// Wakes one waiting worker thread per notice, and never loses one: a notice that arrives while no thread waits
/// (one is between finding its queue empty and starting to wait) is kept, so that thread returns at once. At most
/// one more notice than there are waiters is kept, so a burst of notices while every thread is busy does not make
/// them spin through empty fetches later.
/// </summary>
internal sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _permits = new(0);
    private readonly Lock _gate = new();
    private int _waiters;

    public void Notify()
    {
        lock (_gate)
        {
            if (_permits.CurrentCount <= Volatile.Read(ref _waiters))
            {
                _permits.Release();
            }
        }
    }

    /// <summary>True when woken by a notice, false when <paramref name="timeout"/> passed first.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waiters);
        try
        {
            return _permits.Wait(timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiters);
        }
    }

    public void Dispose() => _permits.Dispose();
}

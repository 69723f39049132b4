namespace FaceObject.Storage.Memory;

/// <summary>
/// Values by key that vanish after their time to live, for the all-in-one stores. One lock per map: the operations
/// are tiny and the claim in <see cref="GetOrAdd"/> must be atomic. Expired entries are swept now and then on
/// writes, so memory stays bounded without a timer.
/// </summary>
internal sealed class ExpiringDictionary<TValue>(TimeProvider clock)
    where TValue : class
{
    private const int SweepEvery = 256;
    private readonly Dictionary<string, (TValue Value, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _writes;

    public void Set(string key, TValue value, TimeSpan timeToLive)
    {
        lock (_lock)
        {
            Write(key, value, timeToLive);
        }
    }

    /// <summary>The live value of <paramref name="key"/>; when there is none, stores <paramref name="value"/> and returns null.</summary>
    public TValue? GetOrAdd(string key, TValue value, TimeSpan timeToLive)
    {
        lock (_lock)
        {
            if (TryGetLive(key, out var existing))
            {
                return existing;
            }

            Write(key, value, timeToLive);
            return null;
        }
    }

    public TValue? Get(string key)
    {
        lock (_lock)
        {
            return TryGetLive(key, out var value) ? value : null;
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>Removes the key only while it still holds <paramref name="expected"/>.</summary>
    public void Remove(string key, TValue expected)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry) && Equals(entry.Value, expected))
            {
                _entries.Remove(key);
            }
        }
    }

    private bool TryGetLive(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > clock.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = null!;
        return false;
    }

    private void Write(string key, TValue value, TimeSpan timeToLive)
    {
        _entries[key] = (value, clock.GetUtcNow() + timeToLive);
        if (++_writes % SweepEvery == 0)
        {
            var now = clock.GetUtcNow();
            foreach (var expired in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
            {
                _entries.Remove(expired);
            }
        }
    }
}

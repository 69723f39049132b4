using System.Collections.Concurrent;
using FaceObject.Core.Storage;

namespace FaceObject.Storage.Memory;

/// <summary>Payload bytes in process memory with a TTL, for the all-in-one mode. Stored arrays are never handed out for writing.</summary>
internal sealed class InMemoryPayloadStore(TimeProvider clock) : IPayloadStore
{
    private readonly ConcurrentDictionary<string, (byte[] Content, DateTimeOffset ExpiresAt)> _payloads = new(StringComparer.Ordinal);
    private long _puts;

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _payloads[key] = (content.ToArray(), clock.GetUtcNow() + timeToLive);
        if (Interlocked.Increment(ref _puts) % 256 == 0)
        {
            RemoveExpired();
        }

        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(_payloads.TryGetValue(key, out var entry) && entry.ExpiresAt > clock.GetUtcNow() ? entry.Content : null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _payloads.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private void RemoveExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var entry in _payloads)
        {
            if (entry.Value.ExpiresAt <= now)
            {
                _payloads.TryRemove(entry);
            }
        }
    }
}

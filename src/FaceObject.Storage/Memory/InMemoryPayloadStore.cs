using FaceObject.Core.Storage;

namespace FaceObject.Storage.Memory;

/// <summary>Payload bytes in process memory with a TTL, for the all-in-one mode. Stored arrays are never handed out for writing.</summary>
internal sealed class InMemoryPayloadStore(TimeProvider clock) : IPayloadStore
{
    private readonly ExpiringDictionary<byte[]> _payloads = new(clock);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        _payloads.Set(key, content.ToArray(), timeToLive);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(_payloads.Get(key));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _payloads.Remove(key);
        return Task.CompletedTask;
    }
}

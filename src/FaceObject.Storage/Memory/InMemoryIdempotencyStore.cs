using FaceObject.Core.Storage;

namespace FaceObject.Storage.Memory;

/// <summary>Idempotency keys in process memory with a TTL, for the all-in-one mode; the claim is atomic under the map's lock.</summary>
internal sealed class InMemoryIdempotencyStore(TimeProvider clock) : IIdempotencyStore
{
    private readonly ExpiringDictionary<IdempotencyClaim> _claims = new(clock);

    public Task<IdempotencyClaim?> TryClaimAsync(string key, IdempotencyClaim claim, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        Task.FromResult(_claims.GetOrAdd(key, claim, timeToLive));

    public Task ReleaseAsync(string key, IdempotencyClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        _claims.Remove(key, claim);
        return Task.CompletedTask;
    }
}

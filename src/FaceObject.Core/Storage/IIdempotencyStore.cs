namespace FaceObject.Core.Storage;

/// <summary>
/// Remembers which task or batch a client's <c>Idempotency-Key</c> made, for the task TTL, so a retried submit
/// returns the first result instead of making a second one. Claims are atomic across API instances. Thread-safe.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Stores <paramref name="claim"/> for <paramref name="key"/> unless the key already holds one.</summary>
    /// <returns>null when this call's claim was stored; otherwise the claim made earlier, left unchanged.</returns>
    Task<IdempotencyClaim?> TryClaimAsync(string key, IdempotencyClaim claim, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Forgets the key if it still holds <paramref name="claim"/>: the submit it guarded failed, so a retry must be able to run.</summary>
    Task ReleaseAsync(string key, IdempotencyClaim claim, CancellationToken cancellationToken = default);
}

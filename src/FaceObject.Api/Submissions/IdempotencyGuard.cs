using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Submissions;

/// <summary>How a submit with an <c>Idempotency-Key</c> turned out.</summary>
internal enum IdempotentOutcome
{
    /// <summary>Made now (also every submit without a key).</summary>
    Created,

    /// <summary>The key was used before with the same request: this is what that request made.</summary>
    Replayed,

    /// <summary>The key was used before with a different request; nothing was made.</summary>
    KeyReused,

    /// <summary>The key was used with the same request, but what it made cannot be found: still being accepted, or deleted since.</summary>
    NotFound,
}

/// <summary>A submit's outcome and, when there is one, the task or batch.</summary>
internal sealed record Idempotent<T>(IdempotentOutcome Outcome, T? Value)
    where T : class;

/// <summary>
/// Runs a submit at most once per <c>Idempotency-Key</c> within the task TTL. The key is claimed for a fresh id
/// before anything is made, so two identical requests racing on two API instances make one thing; if making it
/// fails, the claim is dropped so the client's retry can run.
/// </summary>
internal sealed class IdempotencyGuard(IIdempotencyStore store, IOptions<TaskOptions> options)
{
    /// <param name="key">The client's key, or null to just create.</param>
    /// <param name="fingerprint">Computes the request's fingerprint; only called when there is a key.</param>
    /// <param name="newId">The id <paramref name="create"/> will give what it makes.</param>
    /// <param name="create">Makes the task or batch with <paramref name="newId"/>.</param>
    /// <param name="find">Reads what an earlier request made, by id; null when it is gone.</param>
    /// <param name="cancellationToken">Cancels the claim; <paramref name="create"/> decides about its own cancellation.</param>
    public async Task<Idempotent<T>> RunAsync<T>(
        string? key,
        Func<string> fingerprint,
        string newId,
        Func<Task<T>> create,
        Func<string, CancellationToken, Task<T?>> find,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(find);
        if (key is null)
        {
            return new(IdempotentOutcome.Created, await create());
        }

        var claim = new IdempotencyClaim(fingerprint(), newId);
        var earlier = await store.TryClaimAsync(key, claim, options.Value.Ttl, cancellationToken);
        if (earlier is null)
        {
            try
            {
                return new(IdempotentOutcome.Created, await create());
            }
            catch
            {
                await TryReleaseAsync(key, claim);
                throw;
            }
        }

        if (earlier.Fingerprint != claim.Fingerprint)
        {
            return new(IdempotentOutcome.KeyReused, null);
        }

        var existing = await find(earlier.ResourceId, cancellationToken);
        return existing is null ? new(IdempotentOutcome.NotFound, null) : new(IdempotentOutcome.Replayed, existing);
    }

    private async Task TryReleaseAsync(string key, IdempotencyClaim claim)
    {
        try
        {
            await store.ReleaseAsync(key, claim, CancellationToken.None);
        }
        catch (StorageUnavailableException)
        {
            // The submit failed on the same storage; the claim then only blocks this key until the TTL.
        }
    }
}

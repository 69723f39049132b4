using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>
/// Idempotency keys as Redis strings with the task TTL. Claim and read happen in one script, so two API instances
/// receiving the same key at once agree on one claim.
/// </summary>
internal sealed class RedisIdempotencyStore(IConnectionMultiplexer redis, RedisKeys keys) : IIdempotencyStore
{
    /// <summary>ARGV[1]: the claim, ARGV[2]: milliseconds to live. Returns the earlier claim, or nil when this one was stored.</summary>
    private const string Claim = """
        local existing = redis.call('GET', KEYS[1])
        if existing then return existing end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """;

    /// <summary>ARGV[1]: the claim to remove; another claim is left alone.</summary>
    private const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task<IdempotencyClaim?> TryClaimAsync(string key, IdempotencyClaim claim, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            var earlier = await Db.ScriptEvaluateAsync(Claim, [keys.Idempotency(key)],
                [Serialize(claim), (long)Math.Ceiling(timeToLive.TotalMilliseconds)]);
            return earlier.IsNull ? null : JsonSerializer.Deserialize<IdempotencyClaim>(earlier.ToString(), FaceObjectJson.Options);
        });

    public Task ReleaseAsync(string key, IdempotencyClaim claim, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => Db.ScriptEvaluateAsync(Release, [keys.Idempotency(key)], [Serialize(claim)]));

    private static string Serialize(IdempotencyClaim claim) => JsonSerializer.Serialize(claim, FaceObjectJson.Options);
}

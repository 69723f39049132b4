using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>Payload bytes as Redis strings that expire with the task.</summary>
internal sealed class RedisPayloadStore(IConnectionMultiplexer redis, RedisKeys keys) : IPayloadStore
{
    private IDatabase Db => redis.GetDatabase();

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => Db.StringSetAsync(keys.Payload(key), content, timeToLive));

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () => (byte[]?)await Db.StringGetAsync(keys.Payload(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => Db.KeyDeleteAsync(keys.Payload(key)));
}

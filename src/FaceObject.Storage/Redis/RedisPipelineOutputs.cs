using FaceObject.Core.Pipelines;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>
/// The pipeline actions' Redis writes. Keys and channels are the definition's own, without our key prefix: other
/// programs read them by the names the definition gives.
/// </summary>
internal sealed class RedisPipelineOutputs(IConnectionMultiplexer redis) : IPipelineOutputs
{
    public Task SaveImageAsync(string key, byte[] jpeg, TimeSpan expiry, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => redis.GetDatabase().StringSetAsync(key, jpeg, expiry));

    public Task<long> PublishAsync(string channel, string json, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => redis.GetDatabase().PublishAsync(RedisChannel.Literal(channel), json));
}

using FaceObject.Core.Tasks;
using FaceObject.Storage.Liveness;
using FaceObject.Storage.Memory;
using FaceObject.Storage.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests;

internal static class StoreFactory
{
    public static IOptions<TaskOptions> Options(string prefix = "faceobject:", TimeSpan? ttl = null) =>
        Microsoft.Extensions.Options.Options.Create(new TaskOptions { KeyPrefix = prefix, Ttl = ttl ?? TimeSpan.FromHours(1) });

    public static InMemoryTaskStore Memory(TimeProvider? clock = null, TimeSpan? ttl = null) =>
        new(Options(ttl: ttl), clock ?? TimeProvider.System);

    /// <param name="payloadsInRedis">Whether payloads live in the same Redis (<c>Storage:Kind=redis</c>), as they do by default.</param>
    public static RedisTaskStore Redis(IConnectionMultiplexer redis, string prefix, TimeSpan? ttl = null, TimeProvider? clock = null,
        ProcessLiveness? liveness = null, bool payloadsInRedis = false)
    {
        var options = Options(prefix, ttl);
        return new RedisTaskStore(redis, new RedisKeys(options), options, clock ?? TimeProvider.System, liveness,
            new StorageInfo(StorageMode.Redis, payloadsInRedis ? PayloadStorageKind.Redis : PayloadStorageKind.S3));
    }

    /// <summary>A process whose leases name it: <paramref name="id"/> stands for another process's <see cref="ProcessInstance.Id"/>.</summary>
    public static ProcessLiveness Process(string id) => new(id) { IsKept = true };

    public static RedisKeys Keys(string prefix) => new(Options(prefix));
}

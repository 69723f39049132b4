using FaceObject.Storage.S3;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FaceObject.Storage;

/// <summary>Answers whether the shared storage (Redis, and the bucket with Storage:Kind=s3) can be reached right now.</summary>
public sealed class StorageProbe(IServiceProvider services, StorageInfo info)
{
    public async Task<bool> IsReachableAsync()
    {
        if (info.Payloads == PayloadStorageKind.S3 && !await services.GetRequiredService<S3PayloadStore>().IsReachableAsync())
        {
            return false;
        }

        if (info.Mode == StorageMode.Memory)
        {
            return true;
        }

        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        if (!redis.IsConnected)
        {
            return false;
        }

        try
        {
            await redis.GetDatabase().PingAsync();
            return true;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            return false;
        }
    }
}

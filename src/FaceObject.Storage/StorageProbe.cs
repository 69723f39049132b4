using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace FaceObject.Storage;

/// <summary>Answers whether the shared storage can be reached right now (always true in memory mode).</summary>
public sealed class StorageProbe(IServiceProvider services, StorageInfo info)
{
    public async Task<bool> IsReachableAsync()
    {
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

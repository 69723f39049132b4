using FaceObject.Core.Storage;

namespace FaceObject.Storage.Redis;

/// <summary>Turns Redis connection faults into <see cref="StorageUnavailableException"/>, the one type the API maps to 503 and jobs retry on.</summary>
internal static class RedisGuard
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is not StorageUnavailableException && (e is ObjectDisposedException || StorageFaults.IsUnavailable(e)))
        {
            throw new StorageUnavailableException("Redis is not reachable: " + e.Message, e);
        }
    }

    public static Task RunAsync(Func<Task> operation) => RunAsync(async () =>
    {
        await operation();
        return true;
    });
}

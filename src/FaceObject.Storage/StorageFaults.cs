using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage;

/// <summary>
/// Recognises an exception caused by shared storage being unreachable. Our stores already throw
/// <see cref="StorageUnavailableException"/>, but Hangfire's Redis storage (monitoring, enqueueing) lets the
/// client library's connection and timeout exceptions through, sometimes inside an <see cref="AggregateException"/>.
/// </summary>
public static class StorageFaults
{
    public static bool IsUnavailable(Exception? exception) => exception switch
    {
        null => false,
        StorageUnavailableException or RedisConnectionException or RedisTimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => IsUnavailable(exception.InnerException),
    };
}

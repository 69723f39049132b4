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
    /// <summary>
    /// Error replies of a Redis that is up but cannot serve yet: loading its data after a restart, a replica without
    /// its primary, a primary turned replica in a failover, a script running too long, a cluster slot moving.
    /// Each ends by itself within seconds, so callers retry as for an outage. (Not <c>BUSYGROUP</c>: that is an answer.)
    /// </summary>
    private static readonly string[] PassingReplies = ["LOADING ", "MASTERDOWN ", "READONLY ", "BUSY ", "TRYAGAIN "];

    public static bool IsUnavailable(Exception? exception) => exception switch
    {
        null => false,
        StorageUnavailableException or RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => PassingReplies.Any(reply => server.Message.StartsWith(reply, StringComparison.Ordinal)),
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => IsUnavailable(exception.InnerException),
    };

    /// <summary>
    /// Any fault of Redis or of its client: unreachable, timed out or an error reply. A loop that must outlive an
    /// outage (a heartbeat, a sweeper, a stream reader) logs these and tries again; letting one escape would end the
    /// loop, and a failed hosted service stops its host. <see cref="RedisTimeoutException"/> is a
    /// <see cref="TimeoutException"/>, not a <see cref="RedisException"/>, so <c>catch (RedisException)</c> misses it.
    /// </summary>
    public static bool IsRedisFault(Exception exception) => exception is RedisException or RedisTimeoutException || IsUnavailable(exception);
}

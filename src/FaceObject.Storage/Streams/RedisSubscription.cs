using StackExchange.Redis;

namespace FaceObject.Storage.Streams;

/// <summary>One pub/sub channel followed until disposed.</summary>
internal sealed class RedisSubscription(ChannelMessageQueue queue) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (Exception e) when (StorageFaults.IsRedisFault(e))
        {
            // Redis is gone, and the subscription with it.
        }
    }
}

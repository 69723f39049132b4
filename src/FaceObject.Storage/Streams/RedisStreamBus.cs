using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Streams;
using FaceObject.Storage.Redis;
using StackExchange.Redis;

namespace FaceObject.Storage.Streams;

/// <summary>
/// Stream messages over Redis pub/sub, one channel per stream, so a replica receives only the streams its clients
/// follow. StackExchange.Redis calls a queue's handler in order, one message at a time.
/// </summary>
internal sealed class RedisStreamBus(IConnectionMultiplexer redis, RedisStreamKeys keys) : IStreamEventBus
{
    public Task<IAsyncDisposable> SubscribeAsync(string streamId, Func<StreamMessage, ValueTask> onMessage, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(onMessage);
            var queue = await redis.GetSubscriber().SubscribeAsync(keys.Events(streamId));
            queue.OnMessage(async message =>
            {
                if (JsonSerializer.Deserialize<StreamMessage>(message.Message.ToString(), FaceObjectJson.Options) is { } decoded)
                {
                    await onMessage(decoded);
                }
            });
            return (IAsyncDisposable)new RedisSubscription(queue);
        });
}

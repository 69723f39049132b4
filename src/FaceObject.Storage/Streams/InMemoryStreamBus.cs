using System.Collections.Concurrent;
using System.Threading.Channels;
using FaceObject.Core.Streams;

namespace FaceObject.Storage.Streams;

/// <summary>
/// In-process fan-out for the embedded mode. Each subscription has its own bounded queue and reader, so a slow follower
/// never holds up the stream that publishes (its oldest messages are dropped instead) and its calls never overlap.
/// </summary>
internal sealed class InMemoryStreamBus : IStreamEventBus
{
    private const int QueuePerSubscription = 256;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _byStream = new(StringComparer.Ordinal);

    public Task<IAsyncDisposable> SubscribeAsync(string streamId, Func<StreamMessage, ValueTask> onMessage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentNullException.ThrowIfNull(onMessage);
        var subscription = new Subscription(this, streamId, onMessage);
        _byStream.GetOrAdd(streamId, _ => new ConcurrentDictionary<Subscription, byte>())[subscription] = 0;
        return Task.FromResult<IAsyncDisposable>(subscription);
    }

    public void Publish(StreamMessage message)
    {
        if (_byStream.TryGetValue(message.StreamId, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                subscription.Queue.Writer.TryWrite(message);
            }
        }
    }

    private void Remove(Subscription subscription)
    {
        if (_byStream.TryGetValue(subscription.StreamId, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
        }
    }

    private sealed class Subscription : IAsyncDisposable
    {
        private readonly InMemoryStreamBus _bus;
        private readonly Task _reading;

        public Subscription(InMemoryStreamBus bus, string streamId, Func<StreamMessage, ValueTask> onMessage)
        {
            _bus = bus;
            StreamId = streamId;
            _reading = Task.Run(async () =>
            {
                await foreach (var message in Queue.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    try
                    {
                        await onMessage(message).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // A follower's own failure must not stop its later messages; it handles and logs its errors.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            });
        }

        public string StreamId { get; }

        public Channel<StreamMessage> Queue { get; } = Channel.CreateBounded<StreamMessage>(
            new BoundedChannelOptions(QueuePerSubscription) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public async ValueTask DisposeAsync()
        {
            _bus.Remove(this);
            Queue.Writer.TryComplete();
            await _reading.ConfigureAwait(false);
        }
    }
}

using System.Collections.Concurrent;

namespace FaceObject.Api.Streams;

/// <summary>The WebSocket subscriptions this replica holds, which <see cref="SubscriberRefresher"/> keeps alive in the store.</summary>
internal sealed class StreamSubscribers
{
    private readonly ConcurrentDictionary<(string StreamId, string Subscriber), byte> _live = new();

    public void Add(string streamId, string subscriber) => _live[(streamId, subscriber)] = 0;

    public void Remove(string streamId, string subscriber) => _live.TryRemove((streamId, subscriber), out _);

    public IReadOnlyCollection<(string StreamId, string Subscriber)> Snapshot() => [.. _live.Keys];
}

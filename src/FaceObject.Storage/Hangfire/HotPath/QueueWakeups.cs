using System.Collections.Concurrent;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// The per-queue notices of one storage: a <see cref="WakeSignal"/> for each set of queues a worker waits on, fed
/// by a Redis subscription to each of those queues' channels, made on first use. Once subscribed, the client
/// re-subscribes by itself after a reconnect; a notice published while it was away is made up for by the fetch
/// timeout.
/// </summary>
internal sealed class QueueWakeups(ISubscriber subscriber, HangfireKeys keys)
{
    private readonly ConcurrentDictionary<string, WakeSignal> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<WakeSignal>> _byQueue = new(StringComparer.Ordinal);
    private readonly Lock _subscribing = new();

    /// <summary>The signal that any of <paramref name="queues"/> has a new job.</summary>
    public WakeSignal For(IReadOnlyList<string> queues)
    {
        var name = string.Join('\n', queues);
        if (_signals.TryGetValue(name, out var signal))
        {
            return signal;
        }

        lock (_subscribing)
        {
            if (_signals.TryGetValue(name, out signal))
            {
                return signal;
            }

            signal = new WakeSignal();
            foreach (var queue in queues)
            {
                var listeners = _byQueue.GetOrAdd(queue, _ => []);
                if (listeners.Count == 0)
                {
                    // Throws while Redis is down; nothing is cached then, so the next wait subscribes again.
                    subscriber.Subscribe(keys.QueueNotices(queue), (_, _) => Notify(queue));
                }

                lock (listeners)
                {
                    listeners.Add(signal);
                }
            }

            _signals[name] = signal;
            return signal;
        }
    }

    /// <summary>Wakes a waiter of <paramref name="queue"/> in this process, as a notice from Redis would.</summary>
    public void Notify(string queue)
    {
        if (!_byQueue.TryGetValue(queue, out var listeners))
        {
            return;
        }

        lock (listeners)
        {
            foreach (var signal in listeners)
            {
                signal.Notify();
            }
        }
    }
}

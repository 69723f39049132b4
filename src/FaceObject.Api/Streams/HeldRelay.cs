using FaceObject.Core.Streams;

namespace FaceObject.Api.Streams;

/// <summary>
/// Passes a stream's messages on, but holds them until <see cref="Release"/>: a subscription follows its stream before
/// the stream opens, and its client must see the ack first. Held state changes are dropped on release (the ack is
/// followed by the current state); held detections and track events are passed on in order. If the subscription is
/// refused, nothing held is ever passed on.
/// </summary>
internal sealed class HeldRelay(Action<StreamMessage> forward)
{
    /// <summary>Enough for a few seconds of a stream opening; beyond it, the oldest are dropped.</summary>
    private const int MaxHeld = 256;

    private readonly Lock _lock = new();
    private Queue<StreamMessage>? _held = new();

    public ValueTask OnMessageAsync(StreamMessage message)
    {
        lock (_lock)
        {
            if (_held is null)
            {
                forward(message);
            }
            else if (message.Kind is not StreamMessageKind.State)
            {
                if (_held.Count == MaxHeld)
                {
                    _held.Dequeue();
                }

                _held.Enqueue(message);
            }
        }

        return ValueTask.CompletedTask;
    }

    public void Release()
    {
        lock (_lock)
        {
            // Forwarding under the lock keeps the order: a message arriving now waits for those held before it.
            foreach (var message in _held ?? [])
            {
                forward(message);
            }

            _held = null;
        }
    }
}

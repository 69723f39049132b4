using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Storage.Memory;

/// <summary>Per-queue end counts for the in-memory store; callers hold the store's lock.</summary>
internal sealed class EndedTaskCounter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<(string Queue, DetectionTaskStatus Status), long> _totals = [];
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);

    public void Record(string queue, DetectionTaskStatus status, DateTimeOffset at)
    {
        _totals[(queue, status)] = _totals.GetValueOrDefault((queue, status)) + 1;
        if (!_recent.TryGetValue(queue, out var recent))
        {
            _recent[queue] = recent = new Queue<DateTimeOffset>();
        }

        recent.Enqueue(at);
        Trim(recent, at);
    }

    public QueueStatistics Get(string queue, DateTimeOffset now)
    {
        var recent = _recent.GetValueOrDefault(queue);
        if (recent is not null)
        {
            Trim(recent, now);
        }

        return new QueueStatistics(
            queue,
            _totals.GetValueOrDefault((queue, DetectionTaskStatus.Completed)),
            _totals.GetValueOrDefault((queue, DetectionTaskStatus.Failed)),
            _totals.GetValueOrDefault((queue, DetectionTaskStatus.Cancelled)),
            recent?.Count ?? 0);
    }

    private static void Trim(Queue<DateTimeOffset> recent, DateTimeOffset now)
    {
        while (recent.TryPeek(out var oldest) && oldest <= now - Window)
        {
            recent.Dequeue();
        }
    }
}

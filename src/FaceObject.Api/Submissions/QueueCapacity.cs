using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Submissions;

/// <summary>
/// Back-pressure at submit: refuses work for a queue already holding <c>Api:MaxQueuedPerQueue</c> waiting jobs.
/// The depth is read at most twice a second per queue, so a burst costs no extra Redis calls.
/// </summary>
internal sealed class QueueCapacity(IQueueInspector inspector, IOptions<ApiOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);
    private readonly Dictionary<string, (long Depth, DateTimeOffset ReadAt)> _depths = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <exception cref="QueueFullException">The queue holds its bound of waiting jobs.</exception>
    public async Task EnsureRoomAsync(string queue, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxQueuedPerQueue;
        if (await DepthAsync(queue, cancellationToken) >= limit)
        {
            throw new QueueFullException(queue, limit);
        }
    }

    private async Task<long> DepthAsync(string queue, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_depths.TryGetValue(queue, out var cached) && now - cached.ReadAt < CacheFor)
            {
                return cached.Depth;
            }
        }

        long depth;
        try
        {
            depth = await inspector.GetDepthAsync(queue, cancellationToken);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StorageUnavailableException or OperationCanceledException))
        {
            throw new StorageUnavailableException("The queue depth cannot be read.", e);
        }

        lock (_lock)
        {
            _depths[queue] = (depth, now);
        }

        return depth;
    }
}

/// <summary>The model's queue is at its bound; the client should retry later.</summary>
internal sealed class QueueFullException(string queue, int limit)
    : Exception($"Queue '{queue}' already holds {limit:N0} waiting tasks (Api:MaxQueuedPerQueue); retry in a few seconds.")
{
    public string Queue { get; } = queue;
}

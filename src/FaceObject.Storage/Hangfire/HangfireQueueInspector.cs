using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using global::Hangfire;
using global::Hangfire.Storage;

namespace FaceObject.Storage.Hangfire;

/// <summary>
/// Depths and servers per queue through Hangfire's monitoring API, the same for every storage; how a job's position
/// is found depends on the storage. The monitoring API is synchronous, and each call is one or two storage round trips.
/// </summary>
internal abstract class HangfireQueueInspector(JobStorage storage) : IQueueInspector
{
    public abstract Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default);

    public virtual Task<long> GetDepthAsync(string queue, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(monitoring => monitoring.EnqueuedCount(queue)));

    public virtual Task<IReadOnlyList<QueueLoad>> GetLoadsAsync(IEnumerable<string> queues, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read<IReadOnlyList<QueueLoad>>(monitoring =>
        {
            var served = ServedQueues(monitoring);
            return queues.Select(queue =>
            {
                served.TryGetValue(queue, out var serving);
                return new QueueLoad(queue, monitoring.EnqueuedCount(queue), monitoring.FetchedCount(queue), serving.Servers, serving.Workers);
            }).ToList();
        }));

    protected IMonitoringApi Monitoring => storage.GetMonitoringApi();

    /// <summary>Live Hangfire servers per queue, with their worker threads.</summary>
    private static Dictionary<string, (int Servers, int Workers)> ServedQueues(IMonitoringApi monitoring)
    {
        var result = new Dictionary<string, (int Servers, int Workers)>(StringComparer.Ordinal);
        foreach (var server in monitoring.Servers())
        {
            foreach (var queue in server.Queues)
            {
                result.TryGetValue(queue, out var current);
                result[queue] = (current.Servers + 1, current.Workers + server.WorkersCount);
            }
        }

        return result;
    }

    /// <summary>Any storage fault of the monitoring API (it throws the storage client's own types) as <see cref="StorageUnavailableException"/>.</summary>
    private T Read<T>(Func<IMonitoringApi, T> read)
    {
        try
        {
            return read(storage.GetMonitoringApi());
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StorageUnavailableException))
        {
            throw new StorageUnavailableException("Hangfire's queues cannot be read: " + e.Message, e);
        }
    }
}

using global::Hangfire;

namespace FaceObject.Storage.Hangfire;

/// <summary>
/// Queue positions through Hangfire's monitoring API, for storages whose queues we cannot read directly (the
/// in-memory one, which lists a queue from the next job to fetch onwards). Pages through at most
/// <see cref="MaxScanned"/> jobs; a job further back is reported at the queue's length, an upper bound.
/// </summary>
internal sealed class MonitoringQueueInspector(JobStorage storage) : HangfireQueueInspector(storage)
{
    private const int PageSize = 500;
    private const int MaxScanned = 20_000;

    public override Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default)
    {
        var monitoring = Monitoring;
        var length = monitoring.EnqueuedCount(queue);
        for (var from = 0; from < Math.Min(length, MaxScanned); from += PageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = 0;
            foreach (var job in monitoring.EnqueuedJobs(queue, from, PageSize))
            {
                if (job.Key == jobId)
                {
                    return Task.FromResult<long?>(from + index + 1);
                }

                index++;
            }
        }

        return Task.FromResult<long?>(length > MaxScanned ? length : null);
    }
}

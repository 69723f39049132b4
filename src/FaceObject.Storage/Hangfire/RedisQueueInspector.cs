using FaceObject.Core.Jobs;
using FaceObject.Storage.Hangfire.HotPath;
using FaceObject.Storage.Redis;
using global::Hangfire;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire;

/// <summary>
/// Queue positions read straight from Hangfire's Redis list <c>{prefix}queue:{name}</c>. Hangfire.Redis.StackExchange
/// pushes new jobs on the left and fetches from the right (a job handed back goes to the right end, first in
/// line), so the position is the distance from the right end. One script, so length and index agree; LPOS needs
/// Redis 6.0.6 or later and searches from the right, where a waiting job usually is near. Depths and positions count
/// tasks: the tasks bundled into waiting jobs (<see cref="JobBundler"/>) are added, spread evenly over the jobs ahead
/// for a position.
/// </summary>
internal sealed class RedisQueueInspector(JobStorage storage, IConnectionMultiplexer redis, IOptions<HangfireStorageOptions> options)
    : HangfireQueueInspector(storage)
{
    private const string Position = """
        local index = redis.call('LPOS', KEYS[1], ARGV[1], 'RANK', -1)
        if not index then return -1 end
        local length = redis.call('LLEN', KEYS[1])
        local jobs = length - index
        local bundled = tonumber(redis.call('GET', KEYS[2]) or '0')
        if bundled <= 0 then return jobs end
        return jobs + math.floor(bundled * (jobs - 1) / length)
        """;

    private readonly HangfireKeys _keys = new(options.Value.Prefix);

    public override Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            var position = (long)await redis.GetDatabase().ScriptEvaluateAsync(Position, [_keys.Queue(queue), _keys.Bundled(queue)], [jobId]);
            return position > 0 ? position : (long?)null;
        });

    public override async Task<long> GetDepthAsync(string queue, CancellationToken cancellationToken = default)
    {
        var jobs = await base.GetDepthAsync(queue, cancellationToken);
        var bundled = await BundledAsync([queue]);
        return jobs + bundled[0];
    }

    public override async Task<IReadOnlyList<QueueLoad>> GetLoadsAsync(IEnumerable<string> queues, CancellationToken cancellationToken = default)
    {
        var loads = await base.GetLoadsAsync(queues, cancellationToken);
        var bundled = await BundledAsync([.. loads.Select(l => l.Queue)]);
        return [.. loads.Select((load, i) => load with { Enqueued = load.Enqueued + bundled[i] })];
    }

    /// <summary>Tasks riding in each queue's waiting jobs beyond their own; never negative (the count is approximate).</summary>
    private Task<long[]> BundledAsync(IReadOnlyList<string> queues) =>
        queues.Count == 0
            ? Task.FromResult(Array.Empty<long>())
            : RedisGuard.RunAsync(async () =>
            {
                var values = await redis.GetDatabase().StringGetAsync([.. queues.Select(_keys.Bundled)]);
                return values.Select(v => v.TryParse(out long n) && n > 0 ? n : 0).ToArray();
            });
}

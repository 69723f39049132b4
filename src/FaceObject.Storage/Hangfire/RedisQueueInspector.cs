using FaceObject.Storage.Redis;
using global::Hangfire;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire;

/// <summary>
/// Queue positions read straight from Hangfire's Redis list <c>{prefix}queue:{name}</c>. Hangfire.Redis.StackExchange
/// pushes new jobs on the left and fetches from the right (a job handed back goes to the right end, first in
/// line), so the position is the distance from the right end. One script, so length and index agree; LPOS needs
/// Redis 6.0.6 or later and searches from the right, where a waiting job usually is near.
/// </summary>
internal sealed class RedisQueueInspector(JobStorage storage, IConnectionMultiplexer redis, IOptions<HangfireStorageOptions> options)
    : HangfireQueueInspector(storage)
{
    private const string Position = """
        local index = redis.call('LPOS', KEYS[1], ARGV[1], 'RANK', -1)
        if not index then return -1 end
        return redis.call('LLEN', KEYS[1]) - index
        """;

    public override Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            var key = options.Value.Prefix + "queue:" + queue;
            var position = (long)await redis.GetDatabase().ScriptEvaluateAsync(Position, [key], [jobId]);
            return position > 0 ? position : (long?)null;
        });
}

using FaceObject.Core.Timing;
using FaceObject.Storage.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Liveness;

/// <summary>
/// Keeps <see cref="RedisKeys.ProcessAlive"/> of this process alive while it runs, and deletes it on a graceful
/// stop so its leftovers are recovered at once. Registered on processing hosts only: they are the ones that fetch
/// jobs and hold task leases.
/// </summary>
internal sealed partial class ProcessHeartbeat(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    ProcessLiveness liveness,
    IOptions<LivenessOptions> options,
    TimeProvider clock,
    ILogger<ProcessHeartbeat> logger) : BackgroundService
{
    private RedisKey Key => keys.ProcessAlive(liveness.ProcessId);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Alive before the first job can be fetched; Redis may be down at start, and then the loop catches up.
        await BeatAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Leases taken from now on must not name a process whose key is gone, or they would count as dead at once.
        liveness.IsKept = false;
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(Key);
        }
        catch (Exception e) when (StorageFaults.IsRedisFault(e))
        {
            LogBeatFailed(e.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Beat, clock);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            await BeatAsync();
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            await redis.GetDatabase().StringSetAsync(Key, clock.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.Timeout);
            liveness.IsKept = true;
        }
        catch (Exception e) when (StorageFaults.IsRedisFault(e))
        {
            LogBeatFailed(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Process heartbeat failed ({Reason}); retrying at the next beat")]
    private partial void LogBeatFailed(string reason);
}

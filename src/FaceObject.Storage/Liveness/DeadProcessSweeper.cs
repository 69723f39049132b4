using FaceObject.Core.Timing;
using FaceObject.Storage.Hangfire;
using FaceObject.Storage.Hangfire.HotPath;
using FaceObject.Storage.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Liveness;

/// <summary>
/// Puts the jobs that a dead processing host had fetched back on their queues, within <c>Liveness:Timeout</c> plus
/// one <c>Liveness:SweepInterval</c> of its death. Without it such a job waits in its queue's fetched list for
/// Hangfire's invisibility timeout (30 minutes). Every processing host sweeps every queue; the recovery script
/// moves each job exactly once however many hosts race.
/// </summary>
internal sealed partial class DeadProcessSweeper(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    ProcessLiveness self,
    IOptions<HangfireStorageOptions> hangfire,
    IOptions<LivenessOptions> options,
    TimeProvider clock,
    ILogger<DeadProcessSweeper> logger) : BackgroundService
{
    private readonly HangfireKeys _hangfire = new(hangfire.Value.Prefix);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            try
            {
                await SweepAsync();
            }
            catch (Exception e) when (StorageFaults.IsRedisFault(e))
            {
                LogSweepFailed(e.Message);
            }
        }
    }

    /// <summary>One pass over every queue; returns how many jobs went back.</summary>
    public async Task<int> SweepAsync()
    {
        var db = redis.GetDatabase();
        var recovered = 0;
        foreach (var queue in (await db.SetMembersAsync(_hangfire.Queues)).Select(q => q.ToString()))
        {
            var fetchedBy = await db.HashGetAllAsync(_hangfire.FetchedBy(queue));
            var alive = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var entry in fetchedBy)
            {
                var owner = entry.Value.ToString();
                if (owner == self.ProcessId)
                {
                    // This process is alive by definition, even when Redis lost its key (a restart): never recover its own jobs.
                    continue;
                }

                if (!alive.TryGetValue(owner, out var isAlive))
                {
                    alive[owner] = isAlive = await db.KeyExistsAsync(keys.ProcessAlive(owner));
                }

                if (isAlive)
                {
                    continue;
                }

                var jobId = entry.Name.ToString();
                var moved = (long)await db.ScriptEvaluateAsync(HotPathScripts.RecoverFromDeadProcess,
                    [_hangfire.Dequeued(queue), _hangfire.Job(jobId), _hangfire.Queue(queue), _hangfire.FetchedBy(queue), _hangfire.Bundled(queue)],
                    [jobId, owner, _hangfire.QueueNotices(queue).ToString()]);
                if (moved == 1)
                {
                    recovered++;
                    LogRecovered(jobId, queue, owner);
                }
            }
        }

        return recovered;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} of queue {Queue} was fetched by {Process}, which has died; it is back on its queue")]
    private partial void LogRecovered(string jobId, string queue, string process);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for the jobs of dead processes failed ({Reason}); trying again at the next sweep")]
    private partial void LogSweepFailed(string reason);
}

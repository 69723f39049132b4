using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>Our Redis key names, all under <see cref="TaskOptions.KeyPrefix"/> so several deployments (or test classes) can share one server.</summary>
internal sealed class RedisKeys(IOptions<TaskOptions> options)
{
    private readonly string _prefix = options.Value.KeyPrefix;

    public RedisKey Task(string taskId) => _prefix + "task:" + taskId;

    public RedisKey Payload(string key) => _prefix + "payload:" + key;

    public RedisKey Batch(string batchId) => _prefix + "batch:" + batchId;

    /// <summary>The state of a pipeline run (a hash; see <see cref="RedisPipelineRunStore"/>).</summary>
    public RedisKey PipelineRun(string taskId) => _prefix + "pipeline:" + taskId;

    /// <summary>A client's Idempotency-Key, hashed: any characters and lengths the API accepts map to a short, safe name.</summary>
    public RedisKey Idempotency(string clientKey) =>
        _prefix + "idempotency:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(clientKey)));

    /// <summary>The report of one model loaded by one processing host (a string with a TTL).</summary>
    public RedisKey ModelReport(string model, string server) => _prefix + "model-report:" + model + ":" + server;

    /// <summary>Set of the <see cref="ModelReport"/> keys, so reading every report needs no SCAN.</summary>
    public RedisKey ModelReports => _prefix + "model-reports";

    /// <summary>Hash of ended tasks per queue and status, field <c>{queue}:{status}</c>.</summary>
    public RedisKey EndedTotals => _prefix + "stats:ended";

    /// <summary>Hash of tasks ended in one UTC minute, field <c>{queue}</c>; expires after three minutes.</summary>
    public RedisKey EndedInMinute(DateTimeOffset at) => _prefix + "stats:ended:" + (at.ToUnixTimeSeconds() / 60);

    /// <summary>
    /// Present while the processing host <paramref name="processId"/> (a <see cref="Liveness.ProcessInstance.Id"/>)
    /// is alive: a string with a TTL that its heartbeat renews.
    /// </summary>
    public RedisKey ProcessAlive(string processId) => _prefix + "process:" + processId;

    /// <summary>Pub/sub channel carrying the ids of tasks that just ended, for long polls on any API instance.</summary>
    public RedisChannel TaskEnded => RedisChannel.Literal(_prefix + "task-ended");
}

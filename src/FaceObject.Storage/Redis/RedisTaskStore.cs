using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.Core;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Storage.Liveness;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>
/// Task records as Redis hashes with a TTL (one field per property, holding its JSON text). Transitions run as
/// Lua scripts, so they are atomic across every API and worker process; ends are published for long polls.
/// </summary>
/// <remarks>
/// It is also the <see cref="ITaskIntake"/> when payloads are in the same Redis: a new task's upload and record then
/// go in one transaction.
/// </remarks>
internal sealed class RedisTaskStore : ITaskStore, ITaskIntake
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;
    private readonly ProcessLiveness _liveness;
    private readonly TaskEndSignals _signals = new();
    private readonly Lock _subscribeLock = new();
    private Task? _subscription;

    /// <param name="redis">The connection.</param>
    /// <param name="keys">Key names.</param>
    /// <param name="options">The TTL of records.</param>
    /// <param name="clock">For the per-minute statistics.</param>
    /// <param name="liveness">Whether new leases name this process (see <see cref="TaskScripts"/>); the default names none.</param>
    /// <param name="storage">Where payloads are: when in this Redis (<see cref="PayloadStorageKind.Redis"/>), starting a task reads its payload and ending it drops it, in the same scripts.</param>
    public RedisTaskStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<TaskOptions> options, TimeProvider clock, ProcessLiveness? liveness = null,
        StorageInfo? storage = null)
    {
        _redis = redis;
        _keys = keys;
        _ttl = options.Value.Ttl;
        _clock = clock;
        _liveness = liveness ?? new ProcessLiveness();
        HoldsPayloads = storage?.Payloads == PayloadStorageKind.Redis;
    }

    /// <summary>
    /// The largest payload a start script returns with the record. Uploads are almost always well under it; a
    /// bigger one (a large image, a video) is read by a GET of its own, which costs one round trip more but never
    /// copies a big value through the script.
    /// </summary>
    internal const int PayloadReadLimit = 4 * 1024 * 1024;

    public bool HoldsPayloads { get; }

    /// <summary>The hash field of <see cref="TaskRecord.Callback"/> (snake_case of the property, like every field).</summary>
    private const string CallbackField = "callback";

    private IDatabase Db => _redis.GetDatabase();

    public Task CreateAsync(TaskRecord task, CancellationToken cancellationToken = default) => Create(task, null);

    /// <summary>The upload and the record in one transaction: one round trip, and never one without the other.</summary>
    /// <exception cref="InvalidOperationException">Payloads are not in this Redis (<see cref="HoldsPayloads"/> is false).</exception>
    public Task CreateAsync(TaskRecord task, ReadOnlyMemory<byte> payload, TimeSpan payloadTtl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (!HoldsPayloads || task.PayloadKey is null)
        {
            throw new InvalidOperationException("A task's upload goes into Redis with its record only when payloads are in Redis and the task names a payload key.");
        }

        return Create(task, (task.PayloadKey, payload, payloadTtl));
    }

    private Task Create(TaskRecord task, (string Key, ReadOnlyMemory<byte> Content, TimeSpan Ttl)? payload) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(task);
        var fields = JsonSerializer.SerializeToNode(task, FaceObjectJson.Options)!.AsObject()
            .Where(p => p.Value is not null)
            .Select(p => new HashEntry(p.Key, p.Value!.ToJsonString(FaceObjectJson.Options)))
            .ToArray();
        var transaction = Db.CreateTransaction();
        if (payload is var (key, content, ttl))
        {
            _ = transaction.StringSetAsync(_keys.Payload(key), content, ttl);
        }

        _ = transaction.HashSetAsync(_keys.Task(task.TaskId), fields);
        _ = transaction.KeyExpireAsync(_keys.Task(task.TaskId), _ttl);
        await transaction.ExecuteAsync();
    });

    public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var fields = await Db.HashGetAllAsync(_keys.Task(taskId));
        return fields.Length == 0 ? null : Parse(fields);
    });

    public Task SetJobIdAsync(string taskId, string jobId, CancellationToken cancellationToken = default) =>
        Script(TaskScripts.SetIfExists, taskId, "job_id", Json(jobId));

    public Task<TaskStart> TryStartAsync(string taskId, DateTimeOffset startedAt, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return RedisGuard.RunAsync(async () =>
        {
            var reply = await Db.ScriptEvaluateAsync(TaskScripts.Start, [_keys.Task(taskId)],
            [
                .. LeaseArguments(lease),
                Json(startedAt),
                PayloadPrefix,
                PayloadReadLimit,
            ]);
            if (reply.Resp2Type == ResultType.Array && (RedisResult[])reply! is [var started, var fields, .. var payload] && (long)started == 1)
            {
                var read = payload is [_, var content] ? new PayloadRead((byte[]?)content) : null;
                return new TaskStart(StartOutcome.Started, Parse((RedisValue[])fields!), read);
            }

            return new TaskStart((long)reply switch
            {
                0 => StartOutcome.AlreadyEnded,
                2 => StartOutcome.Leased,
                _ => StartOutcome.NotFound,
            });
        });
    }

    public async Task<bool> RenewLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await Script(TaskScripts.Renew, taskId, LeaseArguments(lease)) == 1;
    }

    public Task ReleaseLeaseAsync(string taskId, TaskLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Script(TaskScripts.Release, taskId, Json(lease.Owner));
    }

    public Task ReportProgressAsync(string taskId, double progress, CancellationToken cancellationToken = default) =>
        Script(TaskScripts.Progress, taskId, Json(progress));

    public async Task<bool> TryCompleteAsync(string taskId, TaskCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var fields = new List<RedisValue>
        {
            "status", Json(DetectionTaskStatus.Completed),
            "progress", "1",
            "result", completion.ResultJson,
            "completed_at", Json(completion.CompletedAt),
            "processing_time_ms", Json(completion.ProcessingTimeMs),
        };
        if (completion.OutputImageKey is { } key)
        {
            fields.AddRange(["output_image_key", Json(key)]);
        }

        return await Ending(TaskScripts.End, taskId, PayloadPrefix, fields) == 1;
    }

    public async Task<bool> TryFailAsync(string taskId, string reason, DateTimeOffset completedAt, CancellationToken cancellationToken = default) =>
        await Ending(TaskScripts.End, taskId, PayloadPrefix,
        [
            "status", Json(DetectionTaskStatus.Failed),
            "error", Json(reason),
            "completed_at", Json(completedAt),
        ]) == 1;

    public async Task<bool> TryCancelAsync(string taskId, DateTimeOffset cancelledAt, CancellationToken cancellationToken = default) =>
        await Ending(TaskScripts.Cancel, taskId, "",
        [
            "status", Json(DetectionTaskStatus.Cancelled),
            "completed_at", Json(cancelledAt),
        ]) == 1;

    /// <summary>
    /// Read, apply <see cref="CallbackState.After"/>, write only if the field is still what was read (a WATCH-based
    /// transaction), and go round again if another process got there first: the transition rule stays in one place.
    /// </summary>
    public Task<CallbackState?> RecordCallbackAttemptAsync(string taskId, CallbackAttempt attempt, int maxAttempts, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            var key = _keys.Task(taskId);
            for (var round = 0; round < 16; round++)
            {
                var current = await Db.HashGetAsync(key, CallbackField);
                if (current.IsNull || JsonSerializer.Deserialize<CallbackState>(current.ToString(), FaceObjectJson.Options) is not { } state)
                {
                    return null;
                }

                var next = state.After(attempt, maxAttempts);
                if (next == state)
                {
                    return state;
                }

                var transaction = Db.CreateTransaction();
                transaction.AddCondition(Condition.HashEqual(key, CallbackField, current));
                _ = transaction.HashSetAsync(key, CallbackField, Json(next));
                if (await transaction.ExecuteAsync())
                {
                    return next;
                }
            }

            throw new StorageUnavailableException($"The callback state of task {taskId} kept changing under concurrent updates.");
        });

    public Task<bool> DeleteAsync(string taskId, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => Db.KeyDeleteAsync(_keys.Task(taskId)));

    public async Task<TaskRecord?> WaitForEndAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout > TimeSpan.Zero)
        {
            await RedisGuard.RunAsync(EnsureSubscribedAsync);
        }

        return await TaskStoreWaiting.WaitForEndAsync(this, _signals, taskId, timeout, cancellationToken);
    }

    public Task<QueueStatistics> GetStatisticsAsync(string queue, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(async () =>
        {
            var totals = await Db.HashGetAsync(_keys.EndedTotals, [$"{queue}:completed", $"{queue}:failed", $"{queue}:cancelled"]);
            var thisMinute = await Db.HashGetAsync(_keys.EndedInMinute(now), queue);
            var lastMinute = await Db.HashGetAsync(_keys.EndedInMinute(now.AddMinutes(-1)), queue);

            // A sliding minute from two fixed buckets: the previous one weighted by how much of it is still inside the window.
            var secondsIntoMinute = now.ToUnixTimeSeconds() % 60;
            var endedLastMinute = (long)thisMinute + ((long)lastMinute * (60 - secondsIntoMinute) / 60);
            return new QueueStatistics(queue, (long)totals[0], (long)totals[1], (long)totals[2], endedLastMinute);
        });

    /// <summary>
    /// Subscribes to task ends once. A subscription that failed (Redis was down at the first long poll) is tried
    /// again on the next one instead of being remembered as failed: the API must recover without a restart. Once
    /// subscribed, the client library re-subscribes by itself after a reconnect. A handler left behind by a failed
    /// attempt at worst signals twice, which is harmless.
    /// </summary>
    private Task EnsureSubscribedAsync()
    {
        lock (_subscribeLock)
        {
            if (_subscription is null || _subscription.IsFaulted || _subscription.IsCanceled)
            {
                _subscription = _redis.GetSubscriber().SubscribeAsync(_keys.TaskEnded, (_, id) => _signals.Signal(id.ToString()));
            }

            return _subscription;
        }
    }

    private Task<long> Ending(string script, string taskId, string payloadPrefix, IEnumerable<RedisValue> fields) =>
        RedisGuard.RunAsync(async () => (long)await Db.ScriptEvaluateAsync(
            script,
            [_keys.Task(taskId), _keys.EndedTotals, _keys.EndedInMinute(_clock.GetUtcNow())],
            [_keys.TaskEnded.ToString(), taskId, payloadPrefix, .. fields]));

    /// <summary>What the start and end scripts take as the payload key prefix: '' when payloads are not in this Redis.</summary>
    private string PayloadPrefix => HoldsPayloads ? _keys.Payload("").ToString() : "";

    private Task<long> Script(string script, string taskId, params RedisValue[] args) => RedisGuard.RunAsync(async () =>
        (long)await Db.ScriptEvaluateAsync(script, [_keys.Task(taskId)], args));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, FaceObjectJson.Options);

    /// <summary>The leading arguments of every lease script (<see cref="TaskScripts"/>, LoadLease).</summary>
    private RedisValue[] LeaseArguments(TaskLease lease) =>
    [
        Json(lease.Owner),
        (long)Math.Ceiling(lease.Duration.TotalMilliseconds),
        _liveness.LeaseProcess is { } process ? Json(process) : "",
        _keys.ProcessAlive("").ToString(),
    ];

    private static TaskRecord Parse(HashEntry[] fields) =>
        Parse(fields.Select(f => (f.Name, f.Value)));

    /// <summary>The hash as a script returns HGETALL: field, value, field, value...</summary>
    private static TaskRecord Parse(RedisValue[] flat) =>
        Parse(Enumerable.Range(0, flat.Length / 2).Select(i => (flat[2 * i], flat[(2 * i) + 1])));

    private static TaskRecord Parse(IEnumerable<(RedisValue Name, RedisValue Value)> fields)
    {
        // Each field already holds JSON text: splice them into one object and let System.Text.Json bind it.
        var json = new StringBuilder("{");
        foreach (var (name, value) in fields)
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.Append(JsonSerializer.Serialize(name.ToString())).Append(':').Append(value.ToString());
        }

        return JsonSerializer.Deserialize<TaskRecord>(json.Append('}').ToString(), FaceObjectJson.Options)
            ?? throw new InvalidDataException("A task record in Redis is empty.");
    }
}

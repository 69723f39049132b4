using System.Globalization;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Pipelines;
using StackExchange.Redis;

namespace FaceObject.Storage.Redis;

/// <summary>
/// Pipeline runs in one Redis hash each (<see cref="RedisKeys.PipelineRun"/>): <c>run</c> (the definition and context),
/// <c>step</c>, <c>pending</c> (stages of the step still open), <c>stage:{key}</c> (each stage's JSON) with
/// <c>ended:{key}</c> once it has ended, and <c>action:{index}</c>. Every guarded change is one script, so its check
/// and its write cannot interleave with another process's.
/// </summary>
internal sealed class RedisPipelineRunStore(IConnectionMultiplexer redis, RedisKeys keys) : IPipelineRunStore
{
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'run', ARGV[1], 'step', -1, 'pending', 0)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>ARGV: step, pending count, then field/value pairs (stages, and ended marks of stages that start ended).</summary>
    private const string BeginStepScript = """
        local step = redis.call('HGET', KEYS[1], 'step')
        if not step or tonumber(step) ~= tonumber(ARGV[1]) - 1 then return 0 end
        redis.call('HSET', KEYS[1], 'step', ARGV[1], 'pending', ARGV[2])
        for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return 1
        """;

    /// <summary>ARGV: stage key, stage JSON.</summary>
    private const string UpdateStageScript = """
        if redis.call('HEXISTS', KEYS[1], 'stage:' .. ARGV[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'ended:' .. ARGV[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'stage:' .. ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>ARGV: stage key, stage JSON. Returns -1 when it had ended, else the step's open stages left.</summary>
    private const string EndStageScript = """
        if redis.call('HEXISTS', KEYS[1], 'stage:' .. ARGV[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'ended:' .. ARGV[1]) == 1 then return -1 end
        redis.call('HSET', KEYS[1], 'stage:' .. ARGV[1], ARGV[2], 'ended:' .. ARGV[1], 1)
        return redis.call('HINCRBY', KEYS[1], 'pending', -1)
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task<bool> CreateAsync(PipelineRun run, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var fixedPart = run with { Step = -1, Stages = new Dictionary<string, StageState>(), Actions = new Dictionary<int, ActionOutcome>() };
        return RedisGuard.RunAsync(async () => (long)await Db.ScriptEvaluateAsync(CreateScript, [keys.PipelineRun(run.TaskId)],
            [Json(fixedPart), (long)timeToLive.TotalMilliseconds]) == 1);
    }

    public Task<PipelineRun?> GetAsync(string taskId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var fields = (await Db.HashGetAllAsync(keys.PipelineRun(taskId))).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString(), StringComparer.Ordinal);
        if (!fields.TryGetValue("run", out var runJson))
        {
            return null;
        }

        var run = JsonSerializer.Deserialize<PipelineRun>(runJson, FaceObjectJson.Options)!;
        var stages = new Dictionary<string, StageState>(StringComparer.Ordinal);
        var actions = new Dictionary<int, ActionOutcome>();
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("stage:", StringComparison.Ordinal))
            {
                stages[name["stage:".Length..]] = JsonSerializer.Deserialize<StageState>(value, FaceObjectJson.Options)!;
            }
            else if (name.StartsWith("action:", StringComparison.Ordinal))
            {
                actions[int.Parse(name["action:".Length..], CultureInfo.InvariantCulture)] = JsonSerializer.Deserialize<ActionOutcome>(value, FaceObjectJson.Options)!;
            }
        }

        return run with { Step = int.Parse(fields["step"], CultureInfo.InvariantCulture), Stages = stages, Actions = actions };
    });

    public Task<bool> BeginStepAsync(string taskId, int stepIndex, IReadOnlyList<StageState> stages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var args = new List<RedisValue> { stepIndex, stages.Count(s => !s.HasEnded) };
        foreach (var stage in stages)
        {
            args.Add("stage:" + stage.Stage);
            args.Add(Json(stage));
            if (stage.HasEnded)
            {
                args.Add("ended:" + stage.Stage);
                args.Add(1);
            }
        }

        return RedisGuard.RunAsync(async () => (long)await Db.ScriptEvaluateAsync(BeginStepScript, [keys.PipelineRun(taskId)], [.. args]) == 1);
    }

    public Task<bool> UpdateStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return RedisGuard.RunAsync(async () =>
            (long)await Db.ScriptEvaluateAsync(UpdateStageScript, [keys.PipelineRun(taskId)], [stage.Stage, Json(stage)]) == 1);
    }

    public Task<int?> EndStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return RedisGuard.RunAsync(async () =>
        {
            var left = (long)await Db.ScriptEvaluateAsync(EndStageScript, [keys.PipelineRun(taskId)], [stage.Stage, Json(stage)]);
            return left < 0 ? null : (int?)left;
        });
    }

    public Task RecordActionAsync(string taskId, int index, ActionOutcome outcome, CancellationToken cancellationToken = default) =>
        RedisGuard.RunAsync(() => Db.HashSetAsync(keys.PipelineRun(taskId), "action:" + index.ToString(CultureInfo.InvariantCulture), Json(outcome)));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, FaceObjectJson.Options);
}

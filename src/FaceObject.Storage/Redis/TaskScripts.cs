namespace FaceObject.Storage.Redis;

/// <summary>
/// Lua scripts for the task hash. Each field holds the JSON text of one <c>TaskRecord</c> property, so status
/// values compare as quoted strings. Every script checks that the hash exists first: writing to an expired task
/// would create a key with no TTL.
/// </summary>
/// <remarks>
/// The processing lease lives in the same hash (<c>lease_owner</c>, a JSON string, and <c>lease_until</c>, Unix
/// milliseconds of the Redis server's clock): one key, so it shares the task's TTL and hash slot, and every
/// worker compares against the same clock. <c>lease_process</c> (a JSON string like every field) names the process holding
/// the lease (a <see cref="Liveness.ProcessInstance.Id"/>): a lease counts as live while <c>lease_until</c> is ahead
/// AND either it names no process (written by a version before this field, or by a process that keeps no liveness
/// key) or that process's key (<see cref="RedisKeys.ProcessAlive"/>) exists. So a killed worker's task can be
/// restarted once its key lapses (<c>Liveness:Timeout</c>) instead of after the whole lease. The record ignores
/// the lease fields when it is read. Lease scripts read the process key by a name built inside the script (the
/// lease names the process): fine on one Redis server or a replicated one, not on Redis Cluster, which this store
/// does not support anyway (its end scripts already touch several slots).
/// </remarks>
internal static class TaskScripts
{
    private const string LoadStatus = """
        local s = redis.call('HGET', KEYS[1], 'status')
        if not s then return -1 end
        local ended = (s == '"completed"' or s == '"failed"' or s == '"cancelled"')
        """;

    /// <summary>
    /// The lease arguments every lease script starts with: ARGV[1] lease owner (JSON), ARGV[2] lease milliseconds,
    /// ARGV[3] the process to name in the lease (JSON; '' for none), ARGV[4] the prefix of process liveness keys.
    /// </summary>
    private const string LoadLease = """

        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = redis.call('HMGET', KEYS[1], 'lease_owner', 'lease_until', 'lease_process')
        local owner = lease[1]
        local live = tonumber(lease[2] or '0') > now
            and (not lease[3] or redis.call('EXISTS', ARGV[4] .. cjson.decode(lease[3])) == 1)
        """;

    /// <summary>Takes the lease for ARGV[1..3] from now on.</summary>
    private const string TakeLease = """

        redis.call('HSET', KEYS[1], 'lease_owner', ARGV[1], 'lease_until', now + tonumber(ARGV[2]))
        if ARGV[3] == '' then
            redis.call('HDEL', KEYS[1], 'lease_process')
        else
            redis.call('HSET', KEYS[1], 'lease_process', ARGV[3])
        end
        """;

    /// <summary>
    /// ARGV[1..4]: the lease (<see cref="LoadLease"/>), ARGV[5]: started_at, ARGV[6]: the prefix of payload keys
    /// when payloads are in this Redis ('' when not), ARGV[7]: the largest payload to return, in bytes. Returns
    /// 0 already ended, 2 processing under another live lease, -1 missing, or when started { 1, the hash as
    /// HGETALL gives it } and, when the payload was looked up, 1 and its bytes (nil when it does not exist): the
    /// worker needs both next, and this saves it two round trips. A payload over the limit (a video) is left to a
    /// GET of its own, so a script never copies a big value through Lua, and so is a key whose JSON has escapes
    /// (never one the service makes: <c>original/{task_id}.{ext}</c>).
    /// </summary>
    public const string Start = LoadStatus + LoadLease + """

        if ended then return 0 end
        if s == '"processing"' and live and owner ~= ARGV[1] then return 2 end
        redis.call('HSET', KEYS[1], 'status', '"processing"', 'started_at', ARGV[5])
        """ + TakeLease + """

        redis.call('HINCRBY', KEYS[1], 'attempts', 1)
        local record = redis.call('HGETALL', KEYS[1])
        local payload_key = redis.call('HGET', KEYS[1], 'payload_key')
        if ARGV[6] == '' or not payload_key or string.find(payload_key, '\\', 1, true) then return { 1, record } end
        payload_key = ARGV[6] .. string.sub(payload_key, 2, -2)
        if redis.call('STRLEN', payload_key) > tonumber(ARGV[7]) then return { 1, record } end
        return { 1, record, 1, redis.call('GET', payload_key) }
        """;

    /// <summary>
    /// ARGV[1..4]: the lease (<see cref="LoadLease"/>). Returns 1 renewed, 0 not processing or another worker
    /// holds it. An expired lease nobody took over is taken back: its owner was only slow, not dead.
    /// </summary>
    public const string Renew = LoadStatus + LoadLease + """

        if s ~= '"processing"' then return 0 end
        if live and owner ~= ARGV[1] then return 0 end
        """ + TakeLease + """

        return 1
        """;

    /// <summary>ARGV[1]: lease owner (JSON). Drops the lease if this owner holds it.</summary>
    public const string Release = """
        if redis.call('HGET', KEYS[1], 'lease_owner') == ARGV[1] then
            redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until', 'lease_process')
            return 1
        end
        return 0
        """;

    /// <summary>
    /// Writes the end, drops the lease (an ended task needs none), counts the end in the per-queue totals (KEYS[2],
    /// field "queue:status") and in the current minute's bucket (KEYS[3], field "queue", kept 3 minutes), in the
    /// same script as the transition so an end counts once.
    /// ARGV[5] is the new status as JSON.
    /// </summary>
    private const string CountAndPublish = """

        redis.call('HSET', KEYS[1], unpack(ARGV, 4))
        redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until', 'lease_process')
        local queue = string.sub(redis.call('HGET', KEYS[1], 'queue') or '""', 2, -2)
        redis.call('HINCRBY', KEYS[2], queue .. ':' .. string.sub(ARGV[5], 2, -2), 1)
        redis.call('HINCRBY', KEYS[3], queue, 1)
        redis.call('EXPIRE', KEYS[3], 180)
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: task, totals, minute bucket. ARGV[1]: channel, ARGV[2]: task id, ARGV[3]: the prefix of payload keys
    /// when payloads are in this Redis ('' when not), then field/value pairs starting with status. Returns 1 written,
    /// 0 already ended, -1 missing. With ARGV[3] the task's upload is dropped whether or not this end is written,
    /// as the worker did with a DEL of its own: nothing reads it once the task has ended (a key with escapes in
    /// its JSON, which the service never makes, is left to its TTL).
    /// </summary>
    public const string End = LoadStatus + """

        local payload_key = redis.call('HGET', KEYS[1], 'payload_key')
        if ARGV[3] ~= '' and payload_key and not string.find(payload_key, '\\', 1, true) then
            redis.call('DEL', ARGV[3] .. string.sub(payload_key, 2, -2))
        end
        if ended then return 0 end
        """ + CountAndPublish;

    /// <summary>Like <see cref="End"/> but only from queued, and ARGV[3] is always '': a cancel leaves the upload to the API.</summary>
    public const string Cancel = LoadStatus + """

        if s ~= '"queued"' then return 0 end
        """ + CountAndPublish;

    /// <summary>ARGV[1]: progress. Only while processing.</summary>
    public const string Progress = LoadStatus + """

        if s ~= '"processing"' then return 0 end
        redis.call('HSET', KEYS[1], 'progress', ARGV[1])
        return 1
        """;

    /// <summary>Field/value pairs written only if the task exists.</summary>
    public const string SetIfExists = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], unpack(ARGV))
        return 1
        """;
}

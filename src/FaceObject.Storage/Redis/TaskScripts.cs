namespace FaceObject.Storage.Redis;

/// <summary>
/// Lua scripts for the task hash. Each field holds the JSON text of one <c>TaskRecord</c> property, so status
/// values compare as quoted strings. Every script checks that the hash exists first: writing to an expired task
/// would create a key with no TTL.
/// </summary>
/// <remarks>
/// The processing lease lives in the same hash (<c>lease_owner</c>, a JSON string, and <c>lease_until</c>, Unix
/// milliseconds of the Redis server's clock): one key, so it shares the task's TTL and hash slot, and every
/// worker compares against the same clock. The record ignores both fields when it is read.
/// </remarks>
internal static class TaskScripts
{
    private const string LoadStatus = """
        local s = redis.call('HGET', KEYS[1], 'status')
        if not s then return -1 end
        local ended = (s == '"completed"' or s == '"failed"' or s == '"cancelled"')
        """;

    private const string LoadLease = """

        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local owner = redis.call('HGET', KEYS[1], 'lease_owner')
        local leased_until = tonumber(redis.call('HGET', KEYS[1], 'lease_until') or '0')
        local live = leased_until > now
        """;

    /// <summary>
    /// ARGV[1]: started_at, ARGV[2]: lease owner (JSON), ARGV[3]: lease milliseconds. Returns 1 started,
    /// 0 already ended, 2 processing under another live lease, -1 missing.
    /// </summary>
    public const string Start = LoadStatus + LoadLease + """

        if ended then return 0 end
        if s == '"processing"' and live and owner ~= ARGV[2] then return 2 end
        redis.call('HSET', KEYS[1], 'status', '"processing"', 'started_at', ARGV[1],
            'lease_owner', ARGV[2], 'lease_until', now + tonumber(ARGV[3]))
        redis.call('HINCRBY', KEYS[1], 'attempts', 1)
        return 1
        """;

    /// <summary>
    /// ARGV[1]: lease owner (JSON), ARGV[2]: lease milliseconds. Returns 1 renewed, 0 not processing or another
    /// worker holds it. An expired lease nobody took over is taken back: its owner was only slow, not dead.
    /// </summary>
    public const string Renew = LoadStatus + LoadLease + """

        if s ~= '"processing"' then return 0 end
        if live and owner ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'lease_owner', ARGV[1], 'lease_until', now + tonumber(ARGV[2]))
        return 1
        """;

    /// <summary>ARGV[1]: lease owner (JSON). Drops the lease if this owner holds it.</summary>
    public const string Release = """
        if redis.call('HGET', KEYS[1], 'lease_owner') == ARGV[1] then
            redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
            return 1
        end
        return 0
        """;

    /// <summary>
    /// Writes the end, drops the lease (an ended task needs none), counts the end in the per-queue totals (KEYS[2],
    /// field "queue:status") and in the current minute's bucket (KEYS[3], field "queue", kept 3 minutes), in the
    /// same script as the transition so an end counts once.
    /// ARGV[4] is the new status as JSON.
    /// </summary>
    private const string CountAndPublish = """

        redis.call('HSET', KEYS[1], unpack(ARGV, 3))
        redis.call('HDEL', KEYS[1], 'lease_owner', 'lease_until')
        local queue = string.sub(redis.call('HGET', KEYS[1], 'queue') or '""', 2, -2)
        redis.call('HINCRBY', KEYS[2], queue .. ':' .. string.sub(ARGV[4], 2, -2), 1)
        redis.call('HINCRBY', KEYS[3], queue, 1)
        redis.call('EXPIRE', KEYS[3], 180)
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: task, totals, minute bucket. ARGV[1]: channel, ARGV[2]: task id, then field/value pairs starting with
    /// status. Returns 1 written, 0 already ended, -1 missing.
    /// </summary>
    public const string End = LoadStatus + """

        if ended then return 0 end
        """ + CountAndPublish;

    /// <summary>Like <see cref="End"/> but only from queued.</summary>
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

namespace FaceObject.Storage.Streams;

/// <summary>
/// The stream store's Lua scripts. Fenced writes compare the lease key with the writer's <c>{owner}|{fence}</c> token in
/// the same step as the write, so an owner whose lease lapsed cannot write after the next owner took over. Times are the
/// Redis server's, so API replicas and workers on different clocks agree on subscriber timeouts.
/// </summary>
internal static class RedisStreamScripts
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    /// <summary>KEYS: source, stream, all. ARGV: id, spec, status, origin, changed channel. Returns {1, id} when added, {0, existing id} when the camera is taken.</summary>
    public const string Add = Now + """
        local existing = redis.call('GET', KEYS[1])
        if existing then return {0, existing} end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[2], 'spec', ARGV[2], 'status', ARGV[3], 'origin', ARGV[4], 'created', now)
        redis.call('ZADD', KEYS[3], now, ARGV[1])
        redis.call('PUBLISH', ARGV[5], ARGV[1])
        return {1, ARGV[1]}
        """;

    /// <summary>KEYS: source. ARGV: id. Drops a camera's claim that points at a stream no longer there.</summary>
    public const string ClearSource = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>KEYS: stream, lease, fence. ARGV: owner, milliseconds. Returns the fence, 0 when leased, -1 when the stream is gone.</summary>
    public const string Acquire = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        local fence = redis.call('INCR', KEYS[3])
        redis.call('SET', KEYS[2], ARGV[1] .. '|' .. fence, 'PX', ARGV[2])
        return fence
        """;

    /// <summary>
    /// KEYS: lease, stream, subscribers. ARGV: token, milliseconds, subscriber timeout milliseconds. Returns 1 when
    /// renewed, 0 when the lease is lost, -1 when the stream was made by subscriptions and every one of them is gone.
    /// </summary>
    public const string Renew = Now + """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        if redis.call('HGET', KEYS[2], 'origin') == 'subscription' then
          local timeout = tonumber(ARGV[3])
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - timeout)
          if redis.call('ZCARD', KEYS[3]) == 0 and tonumber(redis.call('HGET', KEYS[2], 'created')) < now - timeout then return -1 end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: lease, stream. ARGV: token, unowned status, changed channel, id.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[2], 'status', ARGV[2])
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>KEYS: lease, stream. ARGV: token, status, events channel ('' to store without telling followers), message.</summary>
    public const string WriteStatus = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[2], 'status', ARGV[2])
        if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
        return 1
        """;

    /// <summary>KEYS: lease. ARGV: token, events channel, message.</summary>
    public const string Publish = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('PUBLISH', ARGV[2], ARGV[3])
        return 1
        """;

    /// <summary>KEYS: lease, frame. ARGV: token, plain, plain time, annotated, annotated time, ttl milliseconds.</summary>
    public const string PutFrame = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[2], 'plain', ARGV[2], 'plain_at', ARGV[3], 'annotated', ARGV[4], 'annotated_at', ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        return 1
        """;

    /// <summary>KEYS: all. ARGV: stream key prefix. The ids whose lease key is absent, oldest first.</summary>
    public const string ListUnowned = """
        local out = {}
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          if redis.call('EXISTS', ARGV[1] .. id .. ':lease') == 0 then table.insert(out, id) end
        end
        return out
        """;

    /// <summary>KEYS: stream, subscribers. ARGV: subscriber. Records it only while the stream exists.</summary>
    public const string Attach = Now + """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('ZADD', KEYS[2], now, ARGV[1])
        return 1
        """;

    /// <summary>KEYS: the subscriber sets. ARGV: one subscriber per key. Refreshes only members still there.</summary>
    public const string Refresh = Now + """
        for i, key in ipairs(KEYS) do redis.call('ZADD', key, 'XX', now, ARGV[i]) end
        return 1
        """;

    /// <summary>
    /// KEYS: stream, subscribers. ARGV: subscriber, subscriber timeout milliseconds. Returns -1 when the subscriber was not
    /// there, 1 when the stream, made by subscriptions, has no live subscriber left (the caller deletes it), else 0.
    /// </summary>
    public const string Detach = Now + """
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return -1 end
        if redis.call('HGET', KEYS[1], 'origin') ~= 'subscription' then return 0 end
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[2]))
        if redis.call('ZCARD', KEYS[2]) == 0 then return 1 end
        return 0
        """;

    /// <summary>KEYS: stream, source, all, lease, fence, subscribers, frame. ARGV: id, events channel, deleted message, changed channel.</summary>
    public const string Delete = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('DEL', KEYS[1], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
        if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('PUBLISH', ARGV[2], ARGV[3])
        redis.call('PUBLISH', ARGV[4], ARGV[1])
        return 1
        """;
}

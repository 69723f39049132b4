namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// The Lua scripts of the hot path: each does in one round trip what the library does in several. Job hashes are
/// named inside the scripts from <c>ARGV</c> (they are only known once the queue is popped); every key shares the
/// Hangfire prefix, whose braces keep them in one Redis Cluster slot.
/// </summary>
internal static class HotPathScripts
{
    /// <summary>
    /// Pops the queue's oldest job into its fetched list, marks it fetched (the library's <c>Fetched</c> field) and
    /// records which process fetched it (so it goes back to its queue when that process dies), takes the job's state
    /// lock for the Processing transition that always follows, and returns the job hash with the queue's remaining
    /// length. A job whose hash has expired is handed out unmarked, so Hangfire drops it as the library would. The
    /// tasks a bundle carries beyond its own leave the queue's bundled count; an emptied queue clears that count.
    /// KEYS: queue, dequeued, fetched-by, bundled. ARGV: job key prefix, fetched timestamp, process id, lock owner, lock milliseconds.
    /// Returns false, or { id, lock taken (0/1), remaining, job hash as a flat field/value list }.
    /// </summary>
    public const string Fetch = """
        local id = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
        if not id then return false end
        local job = ARGV[1] .. id
        local remaining = redis.call('LLEN', KEYS[1])
        if remaining == 0 then redis.call('DEL', KEYS[4]) end
        if redis.call('EXISTS', job) == 0 then
            return { id, 0, remaining, {} }
        end
        redis.call('HSET', job, 'Fetched', ARGV[2])
        redis.call('HSET', KEYS[3], id, ARGV[3])
        local locked = redis.call('SET', job .. ':state-lock', ARGV[4], 'NX', 'PX', ARGV[5]) and 1 or 0
        local fields = redis.call('HGETALL', job)
        if remaining > 0 then
            for i = 1, #fields, 2 do
                if fields[i] == 'BundleSize' then redis.call('DECRBY', KEYS[4], tonumber(fields[i + 1]) - 1) end
            end
        end
        return { id, locked, remaining, fields }
        """;

    /// <summary>
    /// Takes a job's state lock and, when taken, reads the job's state in the same trip (the state changer reads it
    /// next). KEYS: lock, job. ARGV: owner, milliseconds. Returns { 0 } when the lock is held elsewhere, else
    /// { 1, job exists (0/1), state or '' }.
    /// </summary>
    public const string LockAndReadState = """
        if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return { 0 } end
        return { 1, redis.call('EXISTS', KEYS[2]), redis.call('HGET', KEYS[2], 'State') or '' }
        """;

    /// <summary>Releases a lock if this owner still holds it. KEYS: lock. ARGV: owner.</summary>
    public const string Unlock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>
    /// Acknowledges a fetched job: drops it from the fetched list and clears its fetch marks, unless another worker
    /// fetched it since (its <c>Fetched</c> differs: the library's watcher handed it out again). KEYS: dequeued, job,
    /// fetched-by. ARGV: job id, fetched timestamp.
    /// </summary>
    public const string Acknowledge = """
        local fetched = redis.call('HGET', KEYS[2], 'Fetched')
        if fetched and fetched ~= ARGV[2] then return 0 end
        redis.call('LREM', KEYS[1], -1, ARGV[1])
        redis.call('HDEL', KEYS[2], 'Fetched', 'Checked')
        redis.call('HDEL', KEYS[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Puts a fetched job back at the head of its queue (it runs next) and wakes one worker, unless another worker
    /// fetched it since or it is no longer in the fetched list (given back or acknowledged already: a retry after a
    /// lost answer must not queue it twice). KEYS: dequeued, job, queue, fetched-by, bundled. ARGV: job id, fetched timestamp, notice channel.
    /// </summary>
    public const string Requeue = """
        local fetched = redis.call('HGET', KEYS[2], 'Fetched')
        if fetched and fetched ~= ARGV[2] then return 0 end
        if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then return 0 end
        redis.call('RPUSH', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[2], 'Fetched', 'Checked')
        redis.call('HDEL', KEYS[4], ARGV[1])
        local size = redis.call('HGET', KEYS[2], 'BundleSize')
        if size then redis.call('INCRBY', KEYS[5], tonumber(size) - 1) end
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Puts back a job fetched by a process that has died, exactly once however many sweepers race: only the one
    /// whose LREM removes it pushes it. KEYS: dequeued, job, queue, fetched-by, bundled. ARGV: job id, dead process id, notice channel.
    /// </summary>
    public const string RecoverFromDeadProcess = """
        if redis.call('HGET', KEYS[4], ARGV[1]) ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[4], ARGV[1])
        if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[2], 'Fetched', 'Checked')
        redis.call('RPUSH', KEYS[3], ARGV[1])
        local size = redis.call('HGET', KEYS[2], 'BundleSize')
        if size then redis.call('INCRBY', KEYS[5], tonumber(size) - 1) end
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Adds a task to the newest job of a backed-up queue: only while the queue holds more than ARGV[2] jobs (so the
    /// newest is far from being fetched, and once fetched it is no longer in the list, so nothing joins a job in a
    /// worker's hands), only to a job still Enqueued (not deleted from the dashboard meanwhile), and only up to ARGV[3]
    /// extra tasks. KEYS: queue, bundled. ARGV: job key prefix, queued threshold, most extra tasks, task id.
    /// Returns the job id, or false when the task needs a job of its own.
    /// </summary>
    public const string JoinNewestJob = """
        if redis.call('LLEN', KEYS[1]) <= tonumber(ARGV[2]) then return false end
        local id = redis.call('LINDEX', KEYS[1], 0)
        if not id then return false end
        local job = ARGV[1] .. id
        local fields = redis.call('HMGET', job, 'State', 'BundledTasks')
        if fields[1] ~= 'Enqueued' then return false end
        local tasks = fields[2] and cjson.decode(fields[2]) or {}
        if #tasks >= tonumber(ARGV[3]) then return false end
        tasks[#tasks + 1] = ARGV[4]
        redis.call('HSET', job, 'BundledTasks', cjson.encode(tasks), 'BundleSize', tostring(#tasks + 1))
        redis.call('INCR', KEYS[2])
        return id
        """;

    /// <summary>
    /// Takes a waiting job off its queue so it can be deleted, unless tasks joined it: a bundle stays (the worker skips
    /// its cancelled task and runs the others). One script, so no task can join the job between the check and the
    /// removal. KEYS: queue, job. ARGV: job id. Returns 1 when removed, 0 when no longer waiting, -1 for a bundle.
    /// </summary>
    public const string TakeUnbundledJob = """
        if redis.call('HEXISTS', KEYS[2], 'BundledTasks') == 1 then return -1 end
        return redis.call('LREM', KEYS[1], 0, ARGV[1])
        """;
}

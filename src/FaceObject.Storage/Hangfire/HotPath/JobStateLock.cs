using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// A job's state lock (the library's <c>job:{id}:state-lock</c> key, so both storages exclude each other). Taken
/// with one SET NX. Normally released by the very transaction that writes the new state (<see cref="ReleaseIn"/>),
/// so the state and the lock change together; otherwise released without waiting: the DEL is queued on the
/// connection ahead of whatever this thread sends next, so the lock is free before any later command of ours could
/// need it, and nobody else waits on the reply.
/// </summary>
internal sealed class JobStateLock : IDisposable
{
    /// <summary>State changes take milliseconds; a lock left by a dead process lapses after this.</summary>
    public static readonly TimeSpan HoldTime = TimeSpan.FromSeconds(15);

    [ThreadStatic]
    private static HashSet<string>? t_held;

    private static long s_sequence;

    private readonly IDatabase _redis;
    private readonly RedisKey _key;
    private readonly string _owner;
    private bool _released;

    private JobStateLock(IDatabase redis, RedisKey key, string owner, string jobId)
    {
        JobId = jobId;
        _redis = redis;
        _key = key;
        _owner = owner;
    }

    /// <summary>A fresh owner token: unique per acquisition, so a late release never frees a lock taken since.</summary>
    public static string NewOwner(string processId) => processId + ":" + Interlocked.Increment(ref s_sequence);

    /// <summary>True when this thread already holds the lock (a state change nested in another); it is not taken twice.</summary>
    public static bool HeldByThisThread(RedisKey key) => t_held?.Contains(key.ToString()) == true;

    /// <summary>A lock that was taken in Redis by <paramref name="owner"/> (by a fetch or a lock script).</summary>
    public static JobStateLock Taken(IDatabase redis, RedisKey key, string owner, string jobId)
    {
        (t_held ??= new HashSet<string>(StringComparer.Ordinal)).Add(key.ToString());
        return new JobStateLock(redis, key, owner, jobId);
    }

    public string JobId { get; }

    public bool Released => _released;

    /// <summary>
    /// Queues the release in <paramref name="transaction"/>, the last write made under this lock. A plain DEL is
    /// enough: the lock is ours until its hold time, and a state change takes milliseconds.
    /// </summary>
    public void ReleaseIn(ITransaction transaction) => _ = transaction.KeyDeleteAsync(_key);

    /// <summary>Called once the transaction that released this lock has been sent.</summary>
    public void MarkReleased()
    {
        _released = true;
        t_held?.Remove(_key.ToString());
    }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        MarkReleased();
        _ = _redis.ScriptEvaluate(HotPathScripts.Unlock, [_key], [_owner], CommandFlags.FireAndForget);
    }
}

using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// A storage connection whose job path costs one round trip per step: the fetch also marks the job, takes its
/// state lock and reads it; a state change reads the state with the lock; the job data comes from the fetch.
/// Everything off that path (servers, sets, hashes the dashboard reads) goes to the library's own connection.
/// One connection serves one worker thread at a time, as Hangfire uses them.
/// </summary>
internal sealed class HotPathConnection(HotPathRedisStorage storage, IDatabase redis) : JobStorageConnection
{
    private static readonly string[] JobFields = ["Type", "Method", "ParameterTypes", "Arguments", "CreatedAt", "State", "Queue", "Fetched", "Checked"];

    private IStorageConnection? _library;
    private FetchedJobData? _fetched;
    private PendingLock? _pending;
    private LockedState? _lockedState;
    private readonly List<JobStateLock> _handedOut = [];

    /// <summary>The state locks this connection handed out that are still held, for the transaction that ends them.</summary>
    public IEnumerable<JobStateLock> HeldStateLocks => _handedOut.Where(l => !l.Released);

    private HangfireKeys Keys => storage.Keys;

    private IStorageConnection Library => _library ??= storage.CreateLibraryConnection();

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queues);
        WakeSignal? signal = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var queue in queues)
            {
                if (TryFetch(queue) is { } job)
                {
                    return job;
                }
            }

            signal ??= storage.Wakeups.For(queues);
            signal.Wait(storage.FetchTimeout, cancellationToken);
        }
    }

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (HangfireKeys.JobIdOfStateLock(resource) is not { } jobId)
        {
            return Library.AcquireDistributedLock(resource, timeout);
        }

        if (_pending is { } pending && pending.JobId == jobId)
        {
            // Taken by the fetch; the state it read is the job's current one, since nobody could change it under the lock.
            _pending = null;
            _lockedState = new LockedState(jobId, true, _fetched?.Fields.GetValueOrDefault("State"));
            return HandOut(pending.Lock);
        }

        var key = Keys.JobStateLock(jobId);
        if (JobStateLock.HeldByThisThread(key))
        {
            return NoLock.Instance;
        }

        return AcquireWithState(jobId, key, timeout);
    }

    public override JobData? GetJobData(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (_lockedState is { } locked && locked.JobId == jobId)
        {
            _lockedState = null;
            if (!locked.Exists)
            {
                return null;
            }

            if (_fetched is { } fetched && fetched.JobId == jobId)
            {
                return ToJobData(fetched.Fields, locked.State);
            }
        }

        var stored = redis.HashGetAll(Keys.Job(jobId));
        if (stored.Length == 0)
        {
            return null;
        }

        var fields = stored.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(), StringComparer.Ordinal);
        return ToJobData(fields, fields.GetValueOrDefault("State"));
    }

    public override void SetJobParameter(string id, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        redis.HashSet(Keys.Job(id), name, value);
        if (_fetched is { } fetched && fetched.JobId == id)
        {
            fetched.Fields[name] = value;
        }
    }

    public override string? GetJobParameter(string id, string name)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        return _fetched is { } fetched && fetched.JobId == id && fetched.Fields.TryGetValue(name, out var value)
            ? value
            : redis.HashGet(Keys.Job(id), name);
    }

    public override IWriteOnlyTransaction CreateWriteTransaction() => new HotPathTransaction(storage, this, redis);

    public override void Dispose()
    {
        _pending?.Lock.Dispose();
        _library?.Dispose();
        base.Dispose();
    }

    public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) =>
        Library.CreateExpiredJob(job, parameters, createdAt, expireIn);

    public override StateData GetStateData(string jobId) => Library.GetStateData(jobId);

    public override void AnnounceServer(string serverId, ServerContext context) => Library.AnnounceServer(serverId, context);

    public override void RemoveServer(string serverId) => Library.RemoveServer(serverId);

    public override void Heartbeat(string serverId) => Library.Heartbeat(serverId);

    public override int RemoveTimedOutServers(TimeSpan timeOut) => Library.RemoveTimedOutServers(timeOut);

    public override HashSet<string> GetAllItemsFromSet(string key) => Library.GetAllItemsFromSet(key);

    public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) =>
        Library.GetFirstByLowestScoreFromSet(key, fromScore, toScore);

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count) =>
        LibraryJobStorage.GetFirstByLowestScoreFromSet(key, fromScore, toScore, count);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) =>
        Library.SetRangeInHash(key, keyValuePairs);

    public override Dictionary<string, string> GetAllEntriesFromHash(string key) => Library.GetAllEntriesFromHash(key);

    public override long GetSetCount(string key) => LibraryJobStorage.GetSetCount(key);

    public override long GetSetCount(IEnumerable<string> keys, int limit) => LibraryJobStorage.GetSetCount(keys, limit);

    public override bool GetSetContains(string key, string value) => LibraryJobStorage.GetSetContains(key, value);

    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt) => LibraryJobStorage.GetRangeFromSet(key, startingFrom, endingAt);

    public override TimeSpan GetSetTtl(string key) => LibraryJobStorage.GetSetTtl(key);

    public override string GetValueFromHash(string key, string name) => LibraryJobStorage.GetValueFromHash(key, name);

    public override long GetHashCount(string key) => LibraryJobStorage.GetHashCount(key);

    public override TimeSpan GetHashTtl(string key) => LibraryJobStorage.GetHashTtl(key);

    public override long GetListCount(string key) => LibraryJobStorage.GetListCount(key);

    public override List<string> GetAllItemsFromList(string key) => LibraryJobStorage.GetAllItemsFromList(key);

    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt) => LibraryJobStorage.GetRangeFromList(key, startingFrom, endingAt);

    public override TimeSpan GetListTtl(string key) => LibraryJobStorage.GetListTtl(key);

    public override long GetCounter(string key) => LibraryJobStorage.GetCounter(key);

    public override DateTime GetUtcDateTime() => LibraryJobStorage.GetUtcDateTime();

    private JobStorageConnection LibraryJobStorage => (JobStorageConnection)Library;

    private HotPathFetchedJob? TryFetch(string queue)
    {
        var now = storage.Clock.GetUtcNow().UtcDateTime;
        var fetchedAt = JobHelper.SerializeDateTime(new DateTime(now.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc));
        var owner = JobStateLock.NewOwner(storage.ProcessId);
        var result = redis.ScriptEvaluate(HotPathScripts.Fetch, [Keys.Queue(queue), Keys.Dequeued(queue), Keys.FetchedBy(queue), Keys.Bundled(queue)],
            [Keys.JobPrefix, fetchedAt, storage.ProcessId, owner, (long)JobStateLock.HoldTime.TotalMilliseconds]);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var jobId = parts[0].ToString();
        if ((long)parts[2] > 0)
        {
            // More jobs wait: wake one more idle thread here, in case their notices reached nobody.
            storage.Wakeups.Notify(queue);
        }

        var pairs = (RedisResult[])parts[3]!;
        var fields = new Dictionary<string, string>(pairs.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            fields[pairs[i].ToString()] = pairs[i + 1].ToString();
        }

        _pending?.Lock.Dispose();
        _pending = (long)parts[1] == 1 ? new PendingLock(jobId, JobStateLock.Taken(redis, Keys.JobStateLock(jobId), owner, jobId)) : null;
        _fetched = fields.Count == 0 ? null : new FetchedJobData(jobId, fields);
        if (fields.Count == 0)
        {
            _lockedState = null;
        }

        return new HotPathFetchedJob(redis, Keys, jobId, queue, fetchedAt);
    }

    private JobStateLock AcquireWithState(string jobId, RedisKey key, TimeSpan timeout)
    {
        var deadline = storage.Clock.GetUtcNow() + timeout;
        for (var attempt = 0; ; attempt++)
        {
            var owner = JobStateLock.NewOwner(storage.ProcessId);
            var result = (RedisResult[])redis.ScriptEvaluate(HotPathScripts.LockAndReadState, [key, Keys.Job(jobId)],
                [owner, (long)JobStateLock.HoldTime.TotalMilliseconds])!;
            if ((long)result[0] == 1)
            {
                var state = result[2].ToString();
                _lockedState = new LockedState(jobId, (long)result[1] == 1, state.Length == 0 ? null : state);
                return HandOut(JobStateLock.Taken(redis, key, owner, jobId));
            }

            var left = deadline - storage.Clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new DistributedLockTimeoutException(key.ToString());
            }

            // Someone else is changing this job's state, which takes milliseconds: back off a little, growing.
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(Math.Min(5 << Math.Min(attempt, 6), 250), left.TotalMilliseconds)));
        }
    }

    private JobStateLock HandOut(JobStateLock taken)
    {
        _handedOut.RemoveAll(l => l.Released);
        _handedOut.Add(taken);
        return taken;
    }

    private static JobData ToJobData(Dictionary<string, string> fields, string? state)
    {
        Job? job = null;
        JobLoadException? loadException = null;
        try
        {
            job = new InvocationData(fields.GetValueOrDefault("Type"), fields.GetValueOrDefault("Method"),
                fields.GetValueOrDefault("ParameterTypes"), fields.GetValueOrDefault("Arguments"), fields.GetValueOrDefault("Queue")).DeserializeJob();
        }
        catch (JobLoadException e)
        {
            loadException = e;
        }

        return new JobData
        {
            Job = job,
            State = state,
            CreatedAt = JobHelper.DeserializeNullableDateTime(fields.GetValueOrDefault("CreatedAt")) ?? DateTime.MinValue,
            LoadException = loadException,

            // Filled so filters read parameters (RetryCount and the like) from here instead of one HGET each.
            ParametersSnapshot = fields.Where(f => !JobFields.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
        };
    }

    private sealed record FetchedJobData(string JobId, Dictionary<string, string> Fields);

    private sealed record PendingLock(string JobId, JobStateLock Lock);

    private sealed record LockedState(string JobId, bool Exists, string? State);

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}

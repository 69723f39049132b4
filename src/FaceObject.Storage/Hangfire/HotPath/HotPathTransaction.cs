using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Hangfire.HotPath;

/// <summary>
/// Hangfire's writes as one MULTI/EXEC, on the library's key layout. Differences from the library's transaction: a
/// job is acknowledged inside the commit that ends it, and the job state locks end inside the commit that writes
/// the new state.
/// </summary>
/// <remarks>
/// Every commit is waited for. Sending the move to Processing without waiting saved a round trip, but a Redis
/// restart could lose it: the job then ran from state Enqueued, its failure could not be recorded (Hangfire only
/// records the end of a job that is Processing) and its task was left processing with the job acknowledged.
/// </remarks>
internal sealed class HotPathTransaction(HotPathRedisStorage storage, HotPathConnection connection, IDatabase redis) : JobStorageTransaction
{
    private readonly ITransaction _transaction = redis.CreateTransaction();
    private readonly List<IDisposable> _locks = [];
    private readonly List<HotPathFetchedJob> _acknowledged = [];
    private readonly HashSet<string> _statesWritten = new(StringComparer.Ordinal);

    private HangfireKeys Keys => storage.Keys;

    public override void AcquireDistributedLock(string resource, TimeSpan timeout) =>
        _locks.Add(connection.AcquireDistributedLock(resource, timeout));

    public override string CreateJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(parameters);
        var jobId = Guid.NewGuid().ToString();
        var invocation = InvocationData.SerializeJob(job);
        var fields = new Dictionary<string, string>(parameters, StringComparer.Ordinal)
        {
            ["Type"] = invocation.Type,
            ["Method"] = invocation.Method,
            ["ParameterTypes"] = invocation.ParameterTypes,
            ["Arguments"] = invocation.Arguments,
            ["CreatedAt"] = JobHelper.SerializeDateTime(createdAt),
        };
        if (invocation.Queue is not null)
        {
            fields["Queue"] = invocation.Queue;
        }

        // Written with the rest of this transaction: the job appears together with its first state and queue entry.
        _ = _transaction.HashSetAsync(Keys.Job(jobId), ToEntries(fields));
        _ = _transaction.KeyExpireAsync(Keys.Job(jobId), expireIn);
        return jobId;
    }

    public override void SetJobParameter(string jobId, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(name);
        _ = _transaction.HashSetAsync(Keys.Job(jobId), name, value);
    }

    public override void ExpireJob(string jobId, TimeSpan expireIn)
    {
        _ = _transaction.KeyExpireAsync(Keys.Job(jobId), expireIn);
        _ = _transaction.KeyExpireAsync(Keys.JobHistory(jobId), expireIn);
        _ = _transaction.KeyExpireAsync(Keys.JobState(jobId), expireIn);
    }

    public override void PersistJob(string jobId)
    {
        _ = _transaction.KeyPersistAsync(Keys.Job(jobId));
        _ = _transaction.KeyPersistAsync(Keys.JobHistory(jobId));
        _ = _transaction.KeyPersistAsync(Keys.JobState(jobId));
    }

    public override void SetJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(state);
        _statesWritten.Add(jobId);
        _ = _transaction.HashSetAsync(Keys.Job(jobId), "State", state.Name);
        _ = _transaction.KeyDeleteAsync(Keys.JobState(jobId));
        var data = new Dictionary<string, string>(state.SerializeData(), StringComparer.Ordinal) { ["State"] = state.Name };
        if (state.Reason is not null)
        {
            data["Reason"] = state.Reason;
        }

        _ = _transaction.HashSetAsync(Keys.JobState(jobId), ToEntries(data));
        AddJobState(jobId, state);
    }

    public override void AddJobState(string jobId, IState state)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(state);
        var data = new Dictionary<string, string?>(state.SerializeData()!, StringComparer.Ordinal)
        {
            ["State"] = state.Name,
            ["Reason"] = state.Reason,
            ["CreatedAt"] = JobHelper.SerializeDateTime(storage.Clock.GetUtcNow().UtcDateTime),
        };
        _ = _transaction.ListRightPushAsync(Keys.JobHistory(jobId), SerializationHelper.Serialize(data));
    }

    public override void AddToQueue(string queue, string jobId)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(jobId);
        _ = _transaction.SetAddAsync(Keys.Queues, queue);
        _ = storage.IsLifo(queue)
            ? _transaction.ListRightPushAsync(Keys.Queue(queue), jobId)
            : _transaction.ListLeftPushAsync(Keys.Queue(queue), jobId);
        _ = _transaction.PublishAsync(Keys.QueueNotices(queue), jobId);
    }

    public override void RemoveFromQueue(IFetchedJob fetchedJob)
    {
        ArgumentNullException.ThrowIfNull(fetchedJob);
        if (fetchedJob is not HotPathFetchedJob job)
        {
            fetchedJob.RemoveFromQueue();
            return;
        }

        _ = _transaction.ListRemoveAsync(Keys.Dequeued(job.Queue), job.JobId, -1);
        _ = _transaction.HashDeleteAsync(Keys.Job(job.JobId), ["Fetched", "Checked"]);
        _ = _transaction.HashDeleteAsync(Keys.FetchedBy(job.Queue), job.JobId);
        _acknowledged.Add(job);
    }

    public override void IncrementCounter(string key) => _ = _transaction.StringIncrementAsync(Keys.Of(key));

    public override void IncrementCounter(string key, TimeSpan expireIn)
    {
        _ = _transaction.StringIncrementAsync(Keys.Of(key));
        _ = _transaction.KeyExpireAsync(Keys.Of(key), expireIn);
    }

    public override void DecrementCounter(string key) => _ = _transaction.StringDecrementAsync(Keys.Of(key));

    public override void DecrementCounter(string key, TimeSpan expireIn)
    {
        _ = _transaction.StringDecrementAsync(Keys.Of(key));
        _ = _transaction.KeyExpireAsync(Keys.Of(key), expireIn);
    }

    public override void AddToSet(string key, string value) => AddToSet(key, value, 0);

    public override void AddToSet(string key, string value, double score) => _ = _transaction.SortedSetAddAsync(Keys.Of(key), value, score);

    public override void AddRangeToSet(string key, IList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _ = _transaction.SortedSetAddAsync(Keys.Of(key), items.Select(i => new SortedSetEntry(i, 0)).ToArray());
    }

    public override void RemoveFromSet(string key, string value) => _ = _transaction.SortedSetRemoveAsync(Keys.Of(key), value);

    public override void RemoveSet(string key) => _ = _transaction.KeyDeleteAsync(Keys.Of(key));

    public override void InsertToList(string key, string value) => _ = _transaction.ListLeftPushAsync(Keys.Of(key), value);

    public override void RemoveFromList(string key, string value) => _ = _transaction.ListRemoveAsync(Keys.Of(key), value);

    public override void TrimList(string key, int keepStartingFrom, int keepEndingAt) =>
        _ = _transaction.ListTrimAsync(Keys.Of(key), keepStartingFrom, keepEndingAt);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs)
    {
        ArgumentNullException.ThrowIfNull(keyValuePairs);
        _ = _transaction.HashSetAsync(Keys.Of(key), ToEntries(keyValuePairs));
    }

    public override void RemoveHash(string key) => _ = _transaction.KeyDeleteAsync(Keys.Of(key));

    public override void ExpireHash(string key, TimeSpan expireIn) => _ = _transaction.KeyExpireAsync(Keys.Of(key), expireIn);

    public override void ExpireList(string key, TimeSpan expireIn) => _ = _transaction.KeyExpireAsync(Keys.Of(key), expireIn);

    public override void ExpireSet(string key, TimeSpan expireIn) => _ = _transaction.KeyExpireAsync(Keys.Of(key), expireIn);

    public override void PersistHash(string key) => _ = _transaction.KeyPersistAsync(Keys.Of(key));

    public override void PersistList(string key) => _ = _transaction.KeyPersistAsync(Keys.Of(key));

    public override void PersistSet(string key) => _ = _transaction.KeyPersistAsync(Keys.Of(key));

    public override void Commit()
    {
        // The state written here is the last thing done under these jobs' locks: they end in the same transaction.
        var locks = connection.HeldStateLocks.Where(l => _statesWritten.Contains(l.JobId)).ToList();
        foreach (var held in locks)
        {
            held.ReleaseIn(_transaction);
        }

        if (!_transaction.Execute())
        {
            // Only a failed condition makes EXEC return false, and nothing here adds one.
            throw new InvalidOperationException("A Hangfire transaction was not executed.");
        }

        locks.ForEach(l => l.MarkReleased());

        foreach (var job in _acknowledged)
        {
            job.MarkAcknowledged();
        }
    }

    public override void Dispose()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }

        base.Dispose();
    }

    private static HashEntry[] ToEntries(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.Select(p => new HashEntry(p.Key, p.Value)).ToArray();
}

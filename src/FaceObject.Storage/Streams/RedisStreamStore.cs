using System.Globalization;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Streams;
using FaceObject.Storage.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Storage.Streams;

/// <summary>
/// Streams shared through Redis by every API replica and stream worker (layout in <see cref="RedisStreamKeys"/>, the
/// atomic steps in <see cref="RedisStreamScripts"/>). Not for Redis Cluster: scripts touch several streams' keys.
/// </summary>
internal sealed class RedisStreamStore(IConnectionMultiplexer redis, RedisStreamKeys keys, TimeProvider time, IOptions<StreamStoreOptions> options)
    : IStreamStore, IStreamOwnership
{
    private const string SubscriptionOrigin = "subscription";
    private const string RestOrigin = "rest";

    private readonly StreamStoreOptions _options = options.Value;

    private IDatabase Db => redis.GetDatabase();

    public Task<StreamAddResult> AddAsync(StreamSpec spec, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(spec);

        // A source key can outlive its stream only if a delete was cut short; two rounds clear that.
        for (var round = 0; round < 3; round++)
        {
            var reply = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisStreamScripts.Add, [keys.Source(spec.SourceKey), keys.Stream(spec.Id), keys.All],
                [spec.Id, Serialize(spec), Serialize(StreamStatus.Unowned(time.GetUtcNow())), OriginName(spec.Origin), keys.Changed.ToString()]))!;
            var id = reply[1].ToString();
            if ((long)reply[0] == 1)
            {
                return new StreamAddResult(StreamAddOutcome.Added, (await GetAsync(id, cancellationToken))!);
            }

            var existing = await GetAsync(id, cancellationToken);
            if (existing is null)
            {
                await Db.ScriptEvaluateAsync(RedisStreamScripts.ClearSource, [keys.Source(spec.SourceKey)], [id]);
                continue;
            }

            if (!existing.Spec.SameDetectionAs(spec))
            {
                return new StreamAddResult(StreamAddOutcome.Conflict, existing);
            }

            if (spec.Origin == StreamOrigin.Rest && existing.Spec.Origin != StreamOrigin.Rest)
            {
                await Db.HashSetAsync(keys.Stream(id), "origin", RestOrigin);
                existing = existing with { Spec = existing.Spec with { Origin = StreamOrigin.Rest } };
            }

            return new StreamAddResult(StreamAddOutcome.Joined, existing);
        }

        throw new InvalidOperationException($"The camera of stream {spec.Id} is claimed by a stream that does not exist, and the claim could not be cleared.");
    });

    /// <summary>A field of the stream's hash, written only while the hash exists, so a deleted stream is not brought back.</summary>
    public Task SetSessionAsync(string streamId, string sessionId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(() =>
        Db.ScriptEvaluateAsync("if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'session', ARGV[1]) end return 0",
            [keys.Stream(streamId)], [sessionId]));

    public Task<string?> GetSessionAsync(string streamId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
        (string?)await Db.HashGetAsync(keys.Stream(streamId), "session"));

    public Task<StreamView?> GetAsync(string streamId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var batch = Db.CreateBatch();
        var fields = batch.HashGetAsync(keys.Stream(streamId), ["spec", "status", "origin"]);
        var leased = batch.KeyExistsAsync(keys.Lease(streamId));
        batch.Execute();
        return ToView(await fields, await leased);
    });

    public Task<IReadOnlyList<StreamView>> ListAsync(CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var ids = await Db.SortedSetRangeByRankAsync(keys.All);
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => (Fields: batch.HashGetAsync(keys.Stream(id!), ["spec", "status", "origin"]), Leased: batch.KeyExistsAsync(keys.Lease(id!)))).ToList();
        batch.Execute();
        var views = new List<StreamView>(reads.Count);
        foreach (var (fields, leased) in reads)
        {
            if (ToView(await fields, await leased) is { } view)
            {
                views.Add(view);
            }
        }

        return (IReadOnlyList<StreamView>)views;
    });

    public Task<bool> DeleteAsync(string streamId, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var spec = await Db.HashGetAsync(keys.Stream(streamId), "spec");
        if (spec.IsNull)
        {
            return false;
        }

        var sourceKey = Deserialize<StreamSpec>(spec!).SourceKey;
        var deleted = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.Delete,
            [keys.Stream(streamId), keys.Source(sourceKey), keys.All, keys.Lease(streamId), keys.Fence(streamId), keys.Subscribers(streamId), keys.Frame(streamId)],
            [streamId, keys.Events(streamId).ToString(), Serialize(StreamMessage.DeletedNotice(streamId)), keys.Changed.ToString()]);
        return deleted == 1;
    });

    public Task AttachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(() =>
        Db.ScriptEvaluateAsync(RedisStreamScripts.Attach, [keys.Stream(streamId), keys.Subscribers(streamId)], [subscriber]));

    public Task RefreshAsync(IReadOnlyCollection<(string StreamId, string Subscriber)> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        return subscriptions.Count == 0
            ? Task.CompletedTask
            : RedisGuard.RunAsync(() => Db.ScriptEvaluateAsync(RedisStreamScripts.Refresh,
                [.. subscriptions.Select(s => keys.Subscribers(s.StreamId))], [.. subscriptions.Select(s => (RedisValue)s.Subscriber)]));
    }

    public Task<bool> DetachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var orphaned = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.Detach, [keys.Stream(streamId), keys.Subscribers(streamId)],
            [subscriber, (long)_options.SubscriberTimeout.TotalMilliseconds]);
        return orphaned == 1 && await DeleteAsync(streamId, cancellationToken);
    });

    public Task<StreamFrameImage?> GetFrameAsync(string streamId, bool annotated, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var fields = await Db.HashGetAsync(keys.Frame(streamId), annotated ? ["annotated", "annotated_at"] : ["plain", "plain_at"]);
        return fields[0].IsNull || fields[1].IsNull
            ? null
            : new StreamFrameImage((byte[])fields[0]!, DateTimeOffset.FromUnixTimeMilliseconds((long)fields[1]));
    });

    public Task<IReadOnlyList<string>> ListUnownedAsync(CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var ids = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisStreamScripts.ListUnowned, [keys.All], [keys.StreamPrefix]))!;
        return (IReadOnlyList<string>)[.. ids.Select(id => id.ToString())];
    });

    public Task<StreamLease?> TryAcquireAsync(string streamId, string owner, TimeSpan duration, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        var fence = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.Acquire, [keys.Stream(streamId), keys.Lease(streamId), keys.Fence(streamId)],
            [owner, (long)duration.TotalMilliseconds]);
        return fence > 0 ? new StreamLease(streamId, owner, fence) : null;
    });

    public Task<bool> RenewAsync(StreamLease lease, TimeSpan duration, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(lease);
        var renewed = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.Renew, [keys.Lease(lease.StreamId), keys.Stream(lease.StreamId), keys.Subscribers(lease.StreamId)],
            [Token(lease), (long)duration.TotalMilliseconds, (long)_options.SubscriberTimeout.TotalMilliseconds]);
        if (renewed == -1)
        {
            // Every subscriber's replica died without detaching: the owner's renewal is where that is noticed.
            await DeleteAsync(lease.StreamId, cancellationToken);
        }

        return renewed == 1;
    });

    public Task ReleaseAsync(StreamLease lease, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(() =>
    {
        ArgumentNullException.ThrowIfNull(lease);
        return Db.ScriptEvaluateAsync(RedisStreamScripts.Release, [keys.Lease(lease.StreamId), keys.Stream(lease.StreamId)],
            [Token(lease), Serialize(StreamStatus.Unowned(time.GetUtcNow())), keys.Changed.ToString(), lease.StreamId]);
    });

    public Task<bool> WriteStatusAsync(StreamLease lease, StreamStatus status, bool announce, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(lease);
        var written = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.WriteStatus, [keys.Lease(lease.StreamId), keys.Stream(lease.StreamId)],
            [Token(lease), Serialize(status), announce ? keys.Events(lease.StreamId).ToString() : "", Serialize(StreamMessage.Of(lease.StreamId, status))]);
        return written == 1;
    });

    public Task<bool> PublishAsync(StreamLease lease, StreamMessage message, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(lease);
        var published = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.Publish, [keys.Lease(lease.StreamId)],
            [Token(lease), keys.Events(lease.StreamId).ToString(), Serialize(message)]);
        return published == 1;
    });

    public Task<bool> PutFrameAsync(StreamLease lease, StreamFrameImage plain, StreamFrameImage annotated, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(annotated);
        var stored = (long)await Db.ScriptEvaluateAsync(RedisStreamScripts.PutFrame, [keys.Lease(lease.StreamId), keys.Frame(lease.StreamId)],
            [Token(lease), plain.Jpeg, plain.CapturedAt.ToUnixTimeMilliseconds(), annotated.Jpeg, annotated.CapturedAt.ToUnixTimeMilliseconds(),
                (long)_options.FrameTtl.TotalMilliseconds]);
        return stored == 1;
    });

    public Task<IAsyncDisposable> OnChangeAsync(Func<ValueTask> onChange, CancellationToken cancellationToken = default) => RedisGuard.RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(onChange);
        var queue = await redis.GetSubscriber().SubscribeAsync(keys.Changed);
        queue.OnMessage(async _ => await onChange());
        return (IAsyncDisposable)new RedisSubscription(queue);
    });

    private static string Token(StreamLease lease) => lease.Owner + "|" + lease.Fence.ToString(CultureInfo.InvariantCulture);

    private static string OriginName(StreamOrigin origin) => origin == StreamOrigin.Rest ? RestOrigin : SubscriptionOrigin;

    /// <summary>The hash's fields as a view; a status whose owner's lease lapsed belongs to no one (unless it failed, which is final).</summary>
    private static StreamView? ToView(RedisValue[] fields, bool leased)
    {
        if (fields[0].IsNull || fields[1].IsNull)
        {
            return null;
        }

        var spec = Deserialize<StreamSpec>(fields[0]!) with { Origin = fields[2] == RestOrigin ? StreamOrigin.Rest : StreamOrigin.Subscription };
        var status = Deserialize<StreamStatus>(fields[1]!);
        return new StreamView(spec, leased || status.State == StreamState.Failed ? status : status with { State = StreamState.Connecting, Owner = null });
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, FaceObjectJson.Options);

    private static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, FaceObjectJson.Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} is empty.");
}

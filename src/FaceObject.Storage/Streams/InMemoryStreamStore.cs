using FaceObject.Core.Streams;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Streams;

/// <summary>
/// The streams of the embedded mode, in this process. One lock guards everything: streams change a few times a minute,
/// and status writes are a few a second per stream.
/// </summary>
internal sealed class InMemoryStreamStore(InMemoryStreamBus bus, TimeProvider time, IOptions<StreamStoreOptions> options) : IStreamStore, IStreamOwnership
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bySource = new(StringComparer.Ordinal);
    private readonly List<Func<ValueTask>> _changeListeners = [];
    private readonly TimeSpan _subscriberTimeout = options.Value.SubscriberTimeout;

    public Task<StreamAddResult> AddAsync(StreamSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        StreamAddResult result;
        lock (_lock)
        {
            if (_bySource.TryGetValue(spec.SourceKey, out var existingId))
            {
                var existing = _streams[existingId];
                if (!existing.Spec.SameDetectionAs(spec))
                {
                    return Task.FromResult(new StreamAddResult(StreamAddOutcome.Conflict, existing.View(time.GetUtcNow())));
                }

                if (spec.Origin == StreamOrigin.Rest)
                {
                    existing.Spec = existing.Spec with { Origin = StreamOrigin.Rest };
                }

                return Task.FromResult(new StreamAddResult(StreamAddOutcome.Joined, existing.View(time.GetUtcNow())));
            }

            var entry = new Entry(spec, StreamStatus.Unowned(time.GetUtcNow()));
            _streams.Add(spec.Id, entry);
            _bySource.Add(spec.SourceKey, spec.Id);
            result = new StreamAddResult(StreamAddOutcome.Added, entry.View(time.GetUtcNow()));
        }

        NotifyChange();
        return Task.FromResult(result);
    }

    public Task<StreamView?> GetAsync(string streamId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue(streamId, out var entry) ? entry.View(time.GetUtcNow()) : null);
        }
    }

    public Task<IReadOnlyList<StreamView>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StreamView>>([.. _streams.Values.OrderBy(e => e.Spec.CreatedAt).Select(e => e.View(time.GetUtcNow()))]);
        }
    }

    public Task<bool> DeleteAsync(string streamId, CancellationToken cancellationToken = default) => Task.FromResult(Delete(streamId));

    public Task SetSessionAsync(string streamId, string sessionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(streamId, out var entry))
            {
                entry.Session = sessionId;
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> GetSessionAsync(string streamId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue(streamId, out var entry) ? entry.Session : null);
        }
    }

    public Task AttachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(streamId, out var entry))
            {
                entry.Subscribers[subscriber] = time.GetUtcNow();
            }
        }

        return Task.CompletedTask;
    }

    public Task RefreshAsync(IReadOnlyCollection<(string StreamId, string Subscriber)> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            foreach (var (streamId, subscriber) in subscriptions)
            {
                if (_streams.TryGetValue(streamId, out var entry) && entry.Subscribers.ContainsKey(subscriber))
                {
                    entry.Subscribers[subscriber] = now;
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> DetachAsync(string streamId, string subscriber, CancellationToken cancellationToken = default)
    {
        bool orphaned;
        lock (_lock)
        {
            if (!_streams.TryGetValue(streamId, out var entry) || !entry.Subscribers.Remove(subscriber))
            {
                return Task.FromResult(false);
            }

            orphaned = entry.Spec.Origin == StreamOrigin.Subscription && LiveSubscribers(entry, time.GetUtcNow()) == 0;
        }

        return Task.FromResult(orphaned && Delete(streamId));
    }

    public Task<StreamFrameImage?> GetFrameAsync(string streamId, bool annotated, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue(streamId, out var entry) ? annotated ? entry.AnnotatedFrame : entry.PlainFrame : null);
        }
    }

    public Task<IReadOnlyList<string>> ListUnownedAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            return Task.FromResult<IReadOnlyList<string>>([.. _streams.Values.Where(e => !e.IsLeased(now)).OrderBy(e => e.Spec.CreatedAt).Select(e => e.Spec.Id)]);
        }
    }

    public Task<StreamLease?> TryAcquireAsync(string streamId, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!_streams.TryGetValue(streamId, out var entry) || entry.IsLeased(now))
            {
                return Task.FromResult<StreamLease?>(null);
            }

            entry.Lease = new StreamLease(streamId, owner, ++entry.Fence);
            entry.LeaseExpiresAt = now + duration;
            return Task.FromResult<StreamLease?>(entry.Lease);
        }
    }

    public Task<bool> RenewAsync(StreamLease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        bool orphaned;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (!Holds(lease, now, out var entry))
            {
                return Task.FromResult(false);
            }

            orphaned = IsOrphaned(entry, now);
            entry.LeaseExpiresAt = now + duration;
        }

        // The owner's renewals are what notice that every subscriber's replica died without detaching.
        return Task.FromResult(!(orphaned && Delete(lease.StreamId)));
    }

    public Task ReleaseAsync(StreamLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!Holds(lease, time.GetUtcNow(), out var entry))
            {
                return Task.CompletedTask;
            }

            entry.Lease = null;
            entry.Status = entry.Status with { State = StreamState.Connecting, Owner = null, UpdatedAt = time.GetUtcNow() };
        }

        NotifyChange();
        return Task.CompletedTask;
    }

    public Task<bool> WriteStatusAsync(StreamLease lease, StreamStatus status, bool announce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(status);
        lock (_lock)
        {
            if (!Holds(lease, time.GetUtcNow(), out var entry))
            {
                return Task.FromResult(false);
            }

            entry.Status = status;
        }

        if (announce)
        {
            bus.Publish(StreamMessage.Of(lease.StreamId, status));
        }

        return Task.FromResult(true);
    }

    public Task<bool> PublishAsync(StreamLease lease, StreamMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(message);
        lock (_lock)
        {
            if (!Holds(lease, time.GetUtcNow(), out _))
            {
                return Task.FromResult(false);
            }
        }

        bus.Publish(message);
        return Task.FromResult(true);
    }

    public Task<bool> PutFrameAsync(StreamLease lease, StreamFrameImage plain, StreamFrameImage annotated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!Holds(lease, time.GetUtcNow(), out var entry))
            {
                return Task.FromResult(false);
            }

            entry.PlainFrame = plain;
            entry.AnnotatedFrame = annotated;
            return Task.FromResult(true);
        }
    }

    public Task<IAsyncDisposable> OnChangeAsync(Func<ValueTask> onChange, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_lock)
        {
            _changeListeners.Add(onChange);
        }

        return Task.FromResult<IAsyncDisposable>(new ChangeListener(this, onChange));
    }

    private bool Delete(string streamId)
    {
        lock (_lock)
        {
            if (!_streams.Remove(streamId, out var entry))
            {
                return false;
            }

            _bySource.Remove(entry.Spec.SourceKey);
        }

        bus.Publish(StreamMessage.DeletedNotice(streamId));
        NotifyChange();
        return true;
    }

    private bool Holds(StreamLease lease, DateTimeOffset now, out Entry entry) =>
        _streams.TryGetValue(lease.StreamId, out entry!) && entry.Lease == lease && entry.LeaseExpiresAt > now;

    /// <summary>A stream made by subscriptions none of which is alive; one younger than the timeout may be about to get its first.</summary>
    private bool IsOrphaned(Entry entry, DateTimeOffset now) =>
        entry.Spec.Origin == StreamOrigin.Subscription && LiveSubscribers(entry, now) == 0 && now - entry.Spec.CreatedAt > _subscriberTimeout;

    private int LiveSubscribers(Entry entry, DateTimeOffset now)
    {
        foreach (var (subscriber, seen) in entry.Subscribers.ToList())
        {
            if (now - seen > _subscriberTimeout)
            {
                entry.Subscribers.Remove(subscriber);
            }
        }

        return entry.Subscribers.Count;
    }

    private void NotifyChange()
    {
        Func<ValueTask>[] listeners;
        lock (_lock)
        {
            listeners = [.. _changeListeners];
        }

        foreach (var listener in listeners)
        {
            _ = Task.Run(async () => await listener().ConfigureAwait(false));
        }
    }

    private sealed class Entry(StreamSpec spec, StreamStatus status)
    {
        public StreamSpec Spec { get; set; } = spec;

        public StreamStatus Status { get; set; } = status;

        public Dictionary<string, DateTimeOffset> Subscribers { get; } = new(StringComparer.Ordinal);

        public StreamLease? Lease { get; set; }

        public string? Session { get; set; }

        public DateTimeOffset LeaseExpiresAt { get; set; }

        public long Fence { get; set; }

        public StreamFrameImage? PlainFrame { get; set; }

        public StreamFrameImage? AnnotatedFrame { get; set; }

        /// <summary>The stream as followers see it: a status whose owner's lease ran out is no one's.</summary>
        public StreamView View(DateTimeOffset now) => new(Spec, IsLeased(now) || Status.State == StreamState.Failed ? Status : Status with { State = StreamState.Connecting, Owner = null });

        public bool IsLeased(DateTimeOffset now) => Lease is not null && LeaseExpiresAt > now;
    }

    private sealed class ChangeListener(InMemoryStreamStore store, Func<ValueTask> onChange) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (store._lock)
            {
                store._changeListeners.Remove(onChange);
            }

            return ValueTask.CompletedTask;
        }
    }
}

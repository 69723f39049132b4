using System.Collections.Concurrent;
using FaceObject.Core.Results;
using FaceObject.Core.Streams;

namespace FaceObject.Storage.Tests.Streams;

/// <summary>The behaviour every stream store (with its ownership side and event bus) must have; each store's test class runs all of it.</summary>
public abstract class StreamStoreContract
{
    protected static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    /// <summary>The subscriber timeout the stores under test are built with.</summary>
    protected static readonly TimeSpan SubscriberTimeout = TimeSpan.FromSeconds(2);

    protected abstract IStreamStore Store { get; }

    protected abstract IStreamOwnership Ownership { get; }

    protected abstract IStreamEventBus Bus { get; }

    protected static StreamSpec Spec(string url = "rtsp://10.0.0.7/cam", string model = "object", StreamOrigin origin = StreamOrigin.Rest, double fps = 5) =>
        new($"str_{Guid.NewGuid():N}", new Uri(url), StreamSourceKind.Rtsp, model, fps, null, new StreamStability(3, 0.5f), null, origin, DateTimeOffset.UtcNow);

    [Fact]
    public async Task AddAsync_SharesTheStream_WhenTheSameCameraIsAddedWithTheSameDetection()
    {
        var first = await Store.AddAsync(Spec());
        var second = await Store.AddAsync(Spec());

        first.Outcome.Should().Be(StreamAddOutcome.Added);
        second.Outcome.Should().Be(StreamAddOutcome.Joined);
        second.Stream.Spec.Id.Should().Be(first.Stream.Spec.Id);
        (await Store.ListAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task AddAsync_RefusesAndNamesTheExistingStream_WhenTheCameraIsStreamedWithAnotherModel()
    {
        var first = await Store.AddAsync(Spec(model: "object"));

        var second = await Store.AddAsync(Spec(model: "face"));

        second.Outcome.Should().Be(StreamAddOutcome.Conflict);
        second.Stream.Spec.Id.Should().Be(first.Stream.Spec.Id);
        second.Stream.Spec.Model.Should().Be("object");
    }

    [Fact]
    public async Task AddAsync_MakesASubscriptionStreamARestOne_WhenRestAddsTheSameCamera()
    {
        var made = await Store.AddAsync(Spec(origin: StreamOrigin.Subscription));

        await Store.AddAsync(Spec(origin: StreamOrigin.Rest));

        (await Store.GetAsync(made.Stream.Spec.Id))!.Spec.Origin.Should().Be(StreamOrigin.Rest);
    }

    [Fact]
    public async Task TryAcquireAsync_GrantsOneOwnerAtATime_WithAGrowingFence()
    {
        var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;

        var first = await Ownership.TryAcquireAsync(id, "worker-a", LeaseTime);
        var refused = await Ownership.TryAcquireAsync(id, "worker-b", LeaseTime);
        await Ownership.ReleaseAsync(first!);
        var second = await Ownership.TryAcquireAsync(id, "worker-b", LeaseTime);

        first.Should().NotBeNull();
        refused.Should().BeNull();
        second!.Fence.Should().BeGreaterThan(first!.Fence);
        (await Ownership.ListUnownedAsync()).Should().NotContain(id);
    }

    [Fact]
    public async Task FencedWrites_AreRefused_OnceTheLeaseWasLostToAnotherOwner()
    {
        var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;
        var stale = (await Ownership.TryAcquireAsync(id, "worker-a", TimeSpan.FromMilliseconds(300)))!;
        await Task.Delay(500);
        var current = (await Ownership.TryAcquireAsync(id, "worker-b", LeaseTime))!;
        var live = Status(StreamState.Live, "worker-b");

        (await Ownership.WriteStatusAsync(current, live, announce: true)).Should().BeTrue();
        (await Ownership.WriteStatusAsync(stale, Status(StreamState.Stalled, "worker-a"), announce: true)).Should().BeFalse();
        (await Ownership.RenewAsync(stale, LeaseTime)).Should().BeFalse();
        (await Ownership.PublishAsync(stale, StreamMessage.Of(id, Frame()))).Should().BeFalse();
        (await Ownership.PutFrameAsync(stale, Image(), Image())).Should().BeFalse();

        var view = (await Store.GetAsync(id))!;
        view.Status.State.Should().Be(StreamState.Live);
        view.Status.Owner.Should().Be("worker-b");
    }

    [Fact]
    public async Task GetAsync_ShowsNoOwner_OnceTheOwnersLeaseLapsed()
    {
        var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;
        var lease = (await Ownership.TryAcquireAsync(id, "worker-a", TimeSpan.FromMilliseconds(300)))!;
        await Ownership.WriteStatusAsync(lease, Status(StreamState.Live, "worker-a"), announce: true);

        await Task.Delay(500);

        var view = (await Store.GetAsync(id))!;
        view.Status.Owner.Should().BeNull();
        view.Status.State.Should().Be(StreamState.Connecting);
        (await Ownership.ListUnownedAsync()).Should().Contain(id);
    }

    [Fact]
    public async Task Bus_DeliversTheOwnersMessagesInOrder_AndDeletedLast()
    {
        var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;
        var lease = (await Ownership.TryAcquireAsync(id, "worker-a", LeaseTime))!;
        var received = new ConcurrentQueue<StreamMessage>();
        await using (await Bus.SubscribeAsync(id, m =>
        {
            received.Enqueue(m);
            return ValueTask.CompletedTask;
        }))
        {
            await Ownership.WriteStatusAsync(lease, Status(StreamState.Live, "worker-a"), announce: true);
            await Ownership.WriteStatusAsync(lease, Status(StreamState.Live, "worker-a"), announce: false);
            await Ownership.PublishAsync(lease, StreamMessage.Of(id, Frame()));
            await Store.DeleteAsync(id);
            await WaitUntil(() => received.Count >= 3);
        }

        received.Select(m => m.Kind).Should().Equal(StreamMessageKind.State, StreamMessageKind.Frame, StreamMessageKind.Deleted);
        received.ElementAt(1).Frame!.Detections.Single().TrackId.Should().Be(7);
        (await Store.GetAsync(id)).Should().BeNull();
        (await Ownership.RenewAsync(lease, LeaseTime)).Should().BeFalse();
    }

    [Fact]
    public async Task DeleteAsync_FreesTheCamera_ForANewStream()
    {
        var first = (await Store.AddAsync(Spec(model: "object"))).Stream.Spec.Id;
        await Store.DeleteAsync(first);

        var second = await Store.AddAsync(Spec(model: "face"));

        second.Outcome.Should().Be(StreamAddOutcome.Added);
        (await Store.ListAsync()).Should().ContainSingle().Which.Spec.Model.Should().Be("face");
    }

    [Fact]
    public async Task DetachAsync_DeletesASubscriptionStream_WithItsLastSubscriber_ButNotARestOne()
    {
        var made = (await Store.AddAsync(Spec("rtsp://10.0.0.8/cam", origin: StreamOrigin.Subscription))).Stream.Spec.Id;
        var rest = (await Store.AddAsync(Spec("rtsp://10.0.0.9/cam", origin: StreamOrigin.Rest))).Stream.Spec.Id;
        foreach (var id in new[] { made, rest })
        {
            await Store.AttachAsync(id, "replica:1:display-1;cam");
            await Store.AttachAsync(id, "replica:2:display-2;cam");
        }

        (await Store.DetachAsync(made, "replica:1:display-1;cam")).Should().BeFalse();
        (await Store.GetAsync(made)).Should().NotBeNull();
        (await Store.DetachAsync(made, "replica:2:display-2;cam")).Should().BeTrue();
        await Store.DetachAsync(rest, "replica:1:display-1;cam");
        await Store.DetachAsync(rest, "replica:2:display-2;cam");

        (await Store.GetAsync(made)).Should().BeNull();
        (await Store.GetAsync(rest)).Should().NotBeNull();
    }

    [Fact]
    public async Task RenewAsync_EndsASubscriptionStream_WhoseSubscribersStoppedRefreshing()
    {
        var orphan = (await Store.AddAsync(Spec("rtsp://10.0.0.10/cam", origin: StreamOrigin.Subscription))).Stream.Spec.Id;
        var followed = (await Store.AddAsync(Spec("rtsp://10.0.0.11/cam", origin: StreamOrigin.Subscription))).Stream.Spec.Id;
        await Store.AttachAsync(orphan, "dead-replica:1:d;c");
        await Store.AttachAsync(followed, "live-replica:1:d;c");
        var orphanLease = (await Ownership.TryAcquireAsync(orphan, "worker-a", LeaseTime))!;
        var followedLease = (await Ownership.TryAcquireAsync(followed, "worker-a", LeaseTime))!;

        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(SubscriberTimeout / 4);
            await Store.RefreshAsync([(followed, "live-replica:1:d;c")]);
        }

        (await Ownership.RenewAsync(orphanLease, LeaseTime)).Should().BeFalse();
        (await Ownership.RenewAsync(followedLease, LeaseTime)).Should().BeTrue();
        (await Store.GetAsync(orphan)).Should().BeNull();
        (await Store.GetAsync(followed)).Should().NotBeNull();
    }

    [Fact]
    public async Task GetFrameAsync_ReturnsTheOwnersLatestFrame_PlainOrAnnotated()
    {
        var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;
        var lease = (await Ownership.TryAcquireAsync(id, "worker-a", LeaseTime))!;
        (await Store.GetFrameAsync(id, annotated: false)).Should().BeNull();

        await Ownership.PutFrameAsync(lease, Image(1), Image(2));

        (await Store.GetFrameAsync(id, annotated: false))!.Jpeg.ToArray().Should().Equal(1, 1, 1);
        (await Store.GetFrameAsync(id, annotated: true))!.Jpeg.ToArray().Should().Equal(2, 2, 2);
    }

    [Fact]
    public async Task OnChangeAsync_Wakes_WhenAStreamIsAddedOrReleased()
    {
        var changes = 0;
        await using (await Ownership.OnChangeAsync(() =>
        {
            Interlocked.Increment(ref changes);
            return ValueTask.CompletedTask;
        }))
        {
            var id = (await Store.AddAsync(Spec())).Stream.Spec.Id;
            await WaitUntil(() => Volatile.Read(ref changes) >= 1);
            var lease = (await Ownership.TryAcquireAsync(id, "worker-a", LeaseTime))!;
            await Ownership.ReleaseAsync(lease);
            await WaitUntil(() => Volatile.Read(ref changes) >= 2);
        }

        changes.Should().BeGreaterThanOrEqualTo(2);
    }

    protected static StreamStatus Status(StreamState state, string owner) =>
        new(state, owner, 15, 5, 10, DateTimeOffset.UtcNow, 0, null, 640, 360, DateTimeOffset.UtcNow);

    private static StreamFrameResult Frame() => new(1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "object",
        [new StreamDetection(0, "person", 0.9f, new BoundingBox(1, 2, 30, 40), 7, true)]);

    private static StreamFrameImage Image(byte fill = 1) => new(new byte[] { fill, fill, fill }, DateTimeOffset.UtcNow);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}

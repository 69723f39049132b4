using FaceObject.Api.Submissions;
using FaceObject.Core.Jobs;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Tests.Submissions;

public sealed class QueueCapacityTests
{
    [Fact]
    public async Task EnsureRoomAsync_YieldsWithoutBlocking_WhileTheDepthReadIsPending()
    {
        var inspector = new PendingDepthInspector();
        var capacity = new QueueCapacity(inspector, Options.Create(new ApiOptions { MaxQueuedPerQueue = 2 }), TimeProvider.System);

        // A blocking read would not return here until the depth arrived (never, in this test, on this thread).
        var check = capacity.EnsureRoomAsync("face", CancellationToken.None);

        check.IsCompleted.Should().BeFalse();
        inspector.Depth.SetResult(2);
        var refused = await check.Invoking(c => c).Should().ThrowAsync<QueueFullException>();
        refused.Which.Queue.Should().Be("face");
    }

    [Fact]
    public async Task EnsureRoomAsync_Completes_WhenTheQueueIsBelowItsBound()
    {
        var inspector = new PendingDepthInspector();
        var capacity = new QueueCapacity(inspector, Options.Create(new ApiOptions { MaxQueuedPerQueue = 2 }), TimeProvider.System);
        inspector.Depth.SetResult(1);

        await capacity.EnsureRoomAsync("face", CancellationToken.None);

        inspector.Reads.Should().Be(1);
    }

    /// <summary>A queue whose depth arrives only when the test says so, standing in for a Redis reply still on its way.</summary>
    private sealed class PendingDepthInspector : IQueueInspector
    {
        public TaskCompletionSource<long> Depth { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads { get; private set; }

        public Task<long> GetDepthAsync(string queue, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Depth.Task;
        }

        public Task<long?> GetPositionAsync(string queue, string jobId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<IReadOnlyList<QueueLoad>> GetLoadsAsync(IEnumerable<string> queues, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}

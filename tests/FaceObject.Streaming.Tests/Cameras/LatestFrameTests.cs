using FaceObject.Streaming.Cameras;
using OpenCvSharp;

namespace FaceObject.Streaming.Tests.Cameras;

public sealed class LatestFrameTests
{
    [Fact]
    public async Task NextFrameAsync_ReturnsOnlyTheNewestFrame_AndCountsSkipped_WhenTheConsumerIsSlow()
    {
        using var harness = new ReaderHarness();
        var frames = new BurstFrameSource(count: 300, interval: TimeSpan.FromMilliseconds(2));
        await using var reader = harness.Start(new CameraSource(new Uri("rtsp://10.0.0.1/burst"), CameraSourceKind.Rtsp), frames);

        var taken = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var newest = reader.Status.FramesReceived;
            using var frame = await ReaderHarness.NextFrameAsync(reader, TimeSpan.FromSeconds(10));
            frame.Sequence.Should().BeGreaterThanOrEqualTo(newest, "the slot only ever holds the newest frame");
            frame.Image.Type().Should().Be(MatType.CV_8UC3);
            taken.Add(frame.Sequence);
            await Task.Delay(40);
        }

        await frames.Done.WaitAsync(TimeSpan.FromSeconds(10));
        using (var last = await ReaderHarness.NextFrameAsync(reader, TimeSpan.FromSeconds(5)))
        {
            last.Sequence.Should().Be(300);
            taken.Add(last.Sequence);
        }

        taken.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var status = reader.Status;
        status.FramesReceived.Should().Be(300);
        status.FramesSkipped.Should().Be(300 - taken.Count, "every frame not taken was overwritten and counted");
        status.State.Should().Be(CameraState.Live);
        status.CameraFps.Should().BeGreaterThan(20);
    }

    [Fact]
    public async Task NextFrameAsync_Throws_WhenTheReaderIsDisposed()
    {
        using var harness = new ReaderHarness();
        var reader = harness.Start(new CameraSource(new Uri("rtsp://10.0.0.1/none"), CameraSourceKind.Rtsp), new BurstFrameSource(0, TimeSpan.Zero));
        var waiting = reader.NextFrameAsync(CancellationToken.None).AsTask();

        await reader.DisposeAsync();

        await waiting.Invoking(w => w.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<ObjectDisposedException>();
    }

    /// <summary>Publishes <c>count</c> small frames as fast as asked, then stays connected and silent.</summary>
    private sealed class BurstFrameSource(int count, TimeSpan interval) : IFrameSource
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Done => _done.Task;

        public async Task RunAsync(Action<Mat> onFrame, CancellationToken cancellationToken)
        {
            for (var i = 0; i < count; i++)
            {
                onFrame(new Mat(48, 64, MatType.CV_8UC3, Scalar.All(i % 256)));
                await Task.Delay(interval, cancellationToken);
            }

            _done.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}

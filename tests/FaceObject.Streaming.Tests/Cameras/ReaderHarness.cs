using System.Collections.Concurrent;
using System.Diagnostics;
using FaceObject.Streaming.Cameras;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceObject.Streaming.Tests.Cameras;

/// <summary>
/// A real <see cref="CameraReaderFactory"/> (policy allowing 127.0.0.1 unless told otherwise) and helpers to watch a
/// reader: every state change is recorded, and waits poll the reader's own status.
/// </summary>
internal sealed class ReaderHarness : IDisposable
{
    public ReaderHarness(IEnumerable<string>? allowedSources = null, Action<CameraReaderOptions>? configure = null)
    {
        Options = new CameraReaderOptions();
        configure?.Invoke(Options);
        var policy = new CameraSourcePolicy(allowedSources ?? ["127.0.0.1"]);
        Factory = new CameraReaderFactory(Microsoft.Extensions.Options.Options.Create(Options), policy, NullLoggerFactory.Instance, TimeProvider.System);
    }

    public CameraReaderOptions Options { get; }

    public CameraReaderFactory Factory { get; }

    public ConcurrentQueue<CameraStateChange> Changes { get; } = new();

    public ICameraReader Start(CameraSource source, double snapshotFps = 5) => Watch(Factory.Start(source, snapshotFps));

    public ICameraReader Start(CameraSource source, IFrameSource frames, TimeSpan? stall = null) =>
        Watch(Factory.Start(source, frames, stall ?? Options.StallTimeout));

    /// <summary>Waits until a state change to <paramref name="state"/> has been recorded; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForStateAsync(CameraState state, TimeSpan timeout, DateTimeOffset? after = null)
    {
        var clock = Stopwatch.StartNew();
        while (!Changes.Any(c => c.Status.State == state && c.At >= (after ?? DateTimeOffset.MinValue)))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"No change to {state} within {timeout}; changes: {string.Join(", ", Changes.Select(c => c.Status.State))}.");
            }

            await Task.Delay(20);
        }

        return clock.Elapsed;
    }

    public static async Task<CameraFrame> NextFrameAsync(ICameraReader reader, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await reader.NextFrameAsync(cancel.Token);
    }

    public void Dispose() => Factory.Dispose();

    private ICameraReader Watch(ICameraReader reader)
    {
        reader.StateChanged += (_, change) => Changes.Enqueue(change);
        return reader;
    }
}

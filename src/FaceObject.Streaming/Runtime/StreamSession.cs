using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Core.Streams;
using FaceObject.Inference;
using FaceObject.Inference.Rendering;
using FaceObject.Streaming.Cameras;
using FaceObject.Tracking;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace FaceObject.Streaming.Runtime;

/// <summary>
/// One stream this worker holds: reads the camera, detects the newest frame at the stream's fps, tracks, and sends
/// frame results, track events and status through the lease. Every write carries the lease, so the moment a write is
/// refused the session knows another worker owns the stream and stops without another word.
/// </summary>
internal sealed partial class StreamSession(
    StreamSpec spec,
    StreamLease lease,
    IStreamOwnership ownership,
    IObjectDetector detector,
    CameraReaderFactory readers,
    TrackerOptions trackerDefaults,
    StreamWorkerOptions options,
    StreamEventCallbacks callbacks,
    StreamPipelineRuns pipelineRuns,
    ITaskStore tasks,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    /// <summary>How long a pipeline run's result is waited for, to push it to the followers.</summary>
    private static readonly TimeSpan PipelineResultWait = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FpsWindow = TimeSpan.FromSeconds(5);

    private readonly FpsMeter _processed = new(time, FpsWindow);
    private readonly FpsMeter _skipped = new(time, FpsWindow);
    private long _skippedSeen;
    private int _reconnectsSeen;
    private string? _failure;
    private volatile bool _storageDown;
    private volatile bool _detecting;
    private readonly SemaphoreSlim _statusChanged = new(0);

    public StreamSpec Spec => spec;

    public StreamLease Lease => lease;

    /// <summary>Set once a fenced write was refused: another worker owns the stream now.</summary>
    public bool LeaseLost { get; private set; }

    public void Dispose() => _statusChanged.Dispose();

    /// <summary>Runs until <paramref name="stop"/> fires, the lease is lost, or the stream fails for good (then its Failed status stays).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var source = new CameraSource(spec.Url, spec.Kind switch
        {
            StreamSourceKind.Rtsp => CameraSourceKind.Rtsp,
            StreamSourceKind.Snapshot => CameraSourceKind.Snapshot,
            _ => CameraSourceKind.Mjpeg,
        });
        var reader = readers.Start(source, spec.Fps, session.Token);
        await using (reader.ConfigureAwait(false))
        {
            var statusWrites = WriteStatusAsync(reader, session);
            var tracker = new ObjectTracker(trackerDefaults with { StableFrames = spec.Stability.Frames, StableMedianScore = spec.Stability.MedianScore });
            var epoch = time.GetUtcNow();
            try
            {
                await DetectAsync(reader, tracker, epoch, session.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (session.IsCancellationRequested)
            {
            }
            catch (CameraFailedException e)
            {
                _failure = e.Message;
            }
            catch (StreamFailedException e)
            {
                _failure = e.Message;
            }
#pragma warning disable CA1031 // A bug in one stream must end as that stream's Failed state, not as a stale live one.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogCrashed(logger, e, spec.Id);
                _failure = $"The stream stopped on an internal error ({e.GetType().Name}); see the stream worker's log, and delete and create the stream again.";
            }

            // Followers hear that every object left, unless another worker already speaks for the stream.
            if (!LeaseLost)
            {
                await PublishEventsAsync(tracker.Finish(time.GetUtcNow() - epoch), epoch, CancellationToken.None).ConfigureAwait(false);
            }

            await session.CancelAsync().ConfigureAwait(false);
            await statusWrites.ConfigureAwait(false);
            if (_failure is not null && !LeaseLost)
            {
                LogFailed(logger, spec.Id, spec.RedactedUrl, _failure);
                await WriteAsync(Status(reader.Status, StreamState.Failed, _failure), announce: true, CancellationToken.None).ConfigureAwait(false);
            }
        }

        StreamMetrics.Remove(spec.Id);
    }

    private async Task DetectAsync(ICameraReader reader, ObjectTracker tracker, DateTimeOffset epoch, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(1 / spec.Fps);
        var due = time.GetTimestamp();
        var lastStored = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Wait first, then take the newest frame: a frame taken before the wait would be old when detected.
            var wait = interval - time.GetElapsedTime(due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            using var frame = await NextFrameAsync(reader, cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                // The camera is silent: objects last seen longer than the lost-track buffer ago have left, and
                // followers hear so now rather than whenever the camera comes back.
                await PublishEventsAsync(tracker.Update([], time.GetUtcNow() - epoch).Events, epoch, cancellationToken).ConfigureAwait(false);
                continue;
            }

            due = time.GetTimestamp();
            var detections = Detect(frame.Image);
            if (!_detecting)
            {
                _detecting = true;
                _statusChanged.Release();
            }

            var update = tracker.Update(detections, frame.CapturedAt - epoch);
            var result = new StreamFrameResult(frame.Sequence, frame.CapturedAt, time.GetUtcNow(), spec.Model,
                [.. update.Tracked.Select(t => new StreamDetection(t.Detection.ClassId, t.Detection.ClassName, t.Detection.Confidence, t.Detection.Bbox, t.TrackId, t.Stable))]);
            _processed.Mark();
            if (!await PublishAsync(StreamMessage.Of(spec.Id, result), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            StreamMetrics.FrameToEvent.WithLabels(spec.Id).Observe((time.GetUtcNow() - frame.CapturedAt).TotalSeconds);
            await PublishEventsAsync(update.Events, epoch, cancellationToken).ConfigureAwait(false);
            if (spec.Pipeline is not null)
            {
                foreach (var run in await pipelineRuns.StartAsync(spec, frame.Image, update, cancellationToken).ConfigureAwait(false))
                {
                    _ = PushPipelineResultAsync(run, cancellationToken);
                }
            }
            if (time.GetElapsedTime(lastStored) >= options.FrameStoreInterval)
            {
                lastStored = time.GetTimestamp();
                await StoreFrameAsync(frame, update.Tracked, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits for a run this stream started to end and pushes its result to the followers; ends quietly with the session.</summary>
    private async Task PushPipelineResultAsync(StartedRun run, CancellationToken cancellationToken)
    {
        try
        {
            var ended = await tasks.WaitForEndAsync(run.TaskId, PipelineResultWait, cancellationToken).ConfigureAwait(false);
            if (ended is { Status: var status } && status.IsTerminal())
            {
                var result = new StreamPipelineResult(run.TaskId, run.Pipeline, run.TrackId, run.SessionId, status.ToString().ToLowerInvariant(), ended.Result, ended.Error);
                await PublishAsync(StreamMessage.Of(spec.Id, result), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (StorageUnavailableException e)
        {
            LogPipelineResultLost(logger, spec.Id, run.TaskId, e.Message);
        }
    }

    /// <summary>The camera's newest frame, or null when none came within the tracker's lost-track buffer.</summary>
    private async Task<CameraFrame?> NextFrameAsync(ICameraReader reader, CancellationToken cancellationToken)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        silence.CancelAfter(trackerDefaults.LostTrackBuffer);
        try
        {
            return await reader.NextFrameAsync(silence.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Detects in the crop (or the whole frame) and reports boxes in full-frame pixels.</summary>
    private IReadOnlyList<Detection> Detect(Mat image)
    {
        if (spec.Crop is not { } crop)
        {
            return detector.Detect(image);
        }

        if (crop.ProblemWith(image.Width, image.Height) is { } problem)
        {
            throw new StreamFailedException($"The stream cannot be detected: {problem}.");
        }

        using var region = new Mat(image, new Rect(crop.X1, crop.Y1, crop.Width, crop.Height));
        return [.. detector.Detect(region).Select(d => d with
        {
            Bbox = new BoundingBox(d.Bbox.X1 + crop.X1, d.Bbox.Y1 + crop.Y1, d.Bbox.X2 + crop.X1, d.Bbox.Y2 + crop.Y1),
        })];
    }

    private async Task StoreFrameAsync(CameraFrame frame, IReadOnlyList<TrackedDetection> tracked, CancellationToken cancellationToken)
    {
        var plain = DetectionRenderer.EncodeJpeg(frame.Image);
        using var annotated = frame.Image.Clone();
        DetectionRenderer.Annotate(annotated, [.. tracked.Select(t => t.Detection with { ClassName = $"{t.Detection.ClassName} #{t.TrackId}" })]);
        var annotatedJpeg = DetectionRenderer.EncodeJpeg(annotated);
        await FencedAsync(() => ownership.PutFrameAsync(lease, new StreamFrameImage(plain, frame.CapturedAt),
            new StreamFrameImage(annotatedJpeg, frame.CapturedAt), cancellationToken)).ConfigureAwait(false);
    }

    private async Task PublishEventsAsync(IReadOnlyList<TrackEvent> events, DateTimeOffset epoch, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            var message = new StreamTrackEvent(e.Kind, e.TrackId, e.ClassName, e.BestScore, epoch + e.FirstSeen, epoch + e.LastSeen, e.Box);
            if (!await PublishAsync(StreamMessage.Of(spec.Id, message), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            callbacks.Send(spec, message);
        }
    }

    private Task<bool> PublishAsync(StreamMessage message, CancellationToken cancellationToken) =>
        FencedAsync(() => ownership.PublishAsync(lease, message, cancellationToken));

    /// <summary>
    /// A fenced write; false once the lease is lost. While storage is down the stream keeps detecting and its
    /// results are not delivered: whether it still owns the stream is the supervisor's renewal to decide.
    /// </summary>
    private async Task<bool> FencedAsync(Func<Task<bool>> write)
    {
        try
        {
            var written = await write().ConfigureAwait(false);
            LeaseLost |= !written;
            _storageDown = false;
            return written;
        }
        catch (Core.Storage.StorageUnavailableException e)
        {
            if (!_storageDown)
            {
                _storageDown = true;
                LogStorageDown(logger, spec.Id, e.Message);
            }

            return true;
        }
    }

    /// <summary>Writes the status on every reader state change and every <see cref="StreamWorkerOptions.StatusInterval"/>; cancels the session when the lease is lost.</summary>
    private async Task WriteStatusAsync(ICameraReader reader, CancellationTokenSource session)
    {
        var changed = _statusChanged;
        StreamState? announced = null;
        void OnChange(object? sender, CameraStateChange change) => changed.Release();
        reader.StateChanged += OnChange;
        try
        {
            while (!session.IsCancellationRequested)
            {
                var camera = reader.Status;
                if (camera.State == CameraState.Failed)
                {
                    _failure ??= camera.LastError ?? "The camera cannot be read.";
                }

                // Live only once a frame has been detected: a crop that does not fit the camera fails before anyone hears "live".
                var state = camera.State == CameraState.Live && !_detecting ? StreamState.Connecting : Map(camera.State);
                var announce = state != announced;
                announced = state;
                if (!await WriteAsync(Status(camera, state, camera.LastError), announce, session.Token).ConfigureAwait(false))
                {
                    await session.CancelAsync().ConfigureAwait(false);
                    return;
                }

                if (state == StreamState.Failed)
                {
                    await session.CancelAsync().ConfigureAwait(false);
                    return;
                }

                await changed.WaitAsync(options.StatusInterval, session.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            reader.StateChanged -= OnChange;
        }
    }

    private Task<bool> WriteAsync(StreamStatus status, bool announce, CancellationToken cancellationToken) =>
        FencedAsync(() => ownership.WriteStatusAsync(lease, status, announce, cancellationToken));

    private StreamStatus Status(CameraStatus camera, StreamState state, string? error)
    {
        var skippedNow = camera.FramesSkipped;
        for (var i = _skippedSeen; i < skippedNow; i++)
        {
            _skipped.Mark();
        }

        StreamMetrics.SkippedFrames.WithLabels(spec.Id).Inc(Math.Max(0, skippedNow - _skippedSeen));
        StreamMetrics.Reconnects.WithLabels(spec.Id).Inc(Math.Max(0, camera.ReconnectCount - _reconnectsSeen));
        _skippedSeen = Math.Max(_skippedSeen, skippedNow);
        _reconnectsSeen = Math.Max(_reconnectsSeen, camera.ReconnectCount);
        var processed = _processed.PerSecond();
        StreamMetrics.CameraFps.WithLabels(spec.Id).Set(camera.CameraFps);
        StreamMetrics.ProcessedFps.WithLabels(spec.Id).Set(processed);
        return new StreamStatus(state, lease.Owner, Math.Round(camera.CameraFps, 2), Math.Round(processed, 2), Math.Round(_skipped.PerSecond(), 2),
            camera.LastFrameAt, camera.ReconnectCount, error, camera.Width > 0 ? camera.Width : null, camera.Height > 0 ? camera.Height : null, time.GetUtcNow());
    }

    private static StreamState Map(CameraState state) => state switch
    {
        CameraState.Live => StreamState.Live,
        CameraState.Stalled => StreamState.Stalled,
        CameraState.Reconnecting => StreamState.Reconnecting,
        CameraState.Failed => StreamState.Failed,
        _ => StreamState.Connecting,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId} ({Url}) failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string streamId, string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: storage is unavailable ({Reason}); results are not delivered until it is back")]
    private static partial void LogStorageDown(ILogger logger, string streamId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: the result of pipeline task {TaskId} could not be pushed to the followers ({Reason}); GET /api/task/{TaskId} has it")]
    private static partial void LogPipelineResultLost(ILogger logger, string streamId, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream {StreamId} stopped on an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception, string streamId);
}

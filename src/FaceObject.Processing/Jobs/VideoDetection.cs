using FaceObject.Core.Imaging;
using FaceObject.Core.Results;
using FaceObject.Core.Tasks;
using FaceObject.Inference.Video;
using FaceObject.Processing.Models;
using FaceObject.Tracking;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The video half of the detection job: samples frames, runs the task's model on each, reports progress, and
/// returns frames and summary for the job to store. One tracker per video gives each object one id across frames. A video OpenCV cannot open or decode fails the task at once,
/// without retries. Stateless; thread-safe.
/// </summary>
internal sealed class VideoDetection(LoadedModels models, IOptions<TrackerOptions> tracking, TimeProvider clock)
{
    /// <summary>Progress stays below this until the result is stored, which sets it to 1.</summary>
    private const double MaxRunningProgress = 0.99;

    /// <summary>The result, or null when the lease was lost to another worker mid-video (that worker stores the result).</summary>
    /// <exception cref="TaskFailedException">The video cannot be decoded; the task is already marked failed.</exception>
    public async Task<VideoOutcome?> RunAsync(TaskRun run, byte[] payload)
    {
        var task = run.Record;
        var sampleFps = task.Options.SampleFps ?? VideoSampling.DefaultSampleFps;
        var maxFrames = task.Options.MaxFrames ?? VideoSampling.DefaultMaxFrames;
        var detector = models.Get(task.Model);

        VideoFrameReader reader;
        try
        {
            reader = VideoFrameReader.Open(payload, Extension(payload));
        }
        catch (VideoDecodeException e)
        {
            throw await run.FailAsync(e.Message);
        }

        var frames = new List<FrameDetections>();
        var tracker = new ObjectTracker(tracking.Value);
        VideoInfo video;
        int framesRead;
        using (reader)
        {
            var info = reader.Info;
            video = new VideoInfo(info.Width, info.Height, Math.Round(info.Fps, 3), info.FrameCount,
                info.DurationSeconds is { } duration ? Math.Round(duration, 3) : null);
            try
            {
                foreach (var frame in reader.ReadSampled(sampleFps, maxFrames, run.Token))
                {
                    var detections = detector.Detect(frame.Image, task.Options.ScoreThreshold);
                    var tracked = tracker.Update(detections, TimeSpan.FromSeconds(frame.TimeSeconds)).Tracked;
                    frames.Add(new FrameDetections(frame.Index, Math.Round(frame.TimeSeconds, 3), WithTrackIds(detections, tracked)));
                    await run.ReportProgressAsync(Progress(reader, frames.Count, maxFrames));
                }
            }
            catch (VideoDecodeException e)
            {
                throw await run.FailAsync(e.Message);
            }
            catch (OperationCanceledException) when (run.LeaseLost)
            {
                return null;
            }

            framesRead = reader.FramesRead;
        }

        if (frames.Count == 0)
        {
            throw await run.FailAsync("The video has no frame that could be decoded; it may be empty, audio-only or damaged.");
        }

        var result = new VideoDetectionResult
        {
            TaskId = task.TaskId,
            Model = task.Model,
            Video = video,
            Frames = frames,
            Summary = VideoSummary.From(frames, tracker.StableCounts),
            ProcessedAt = clock.GetUtcNow(),
            ProcessingTimeMs = run.ElapsedMs,
            Device = detector.Info.Device,
        };
        return new VideoOutcome(result, framesRead, result.Summary.Counts.Values.Sum());
    }

    /// <summary>
    /// Every detection of the frame; where the tracker followed it, with its track id and the track's class (low scores
    /// that joined no track, and duplicates of a tracked object in another class, have no id).
    /// </summary>
    private static List<Detection> WithTrackIds(IReadOnlyList<Detection> detections, IReadOnlyList<TrackedDetection> tracked) =>
        [.. detections.Select(d => tracked.FirstOrDefault(t => t.Detection.Bbox == d.Bbox && t.Detection.Confidence == d.Confidence) is { } match ? match.Detection : d)];

    /// <summary>The larger share of the two ways a run ends: frames of the video read, or sampled frames of the maximum.</summary>
    private static double Progress(VideoFrameReader reader, int sampled, int maxFrames)
    {
        var byFrames = reader.Info.FrameCount is > 0 and var count ? (double)reader.FramesRead / count : 0;
        return Math.Min(MaxRunningProgress, Math.Max(byFrames, (double)sampled / maxFrames));
    }

    /// <summary>FFmpeg probes the content; a matching extension only spares it a wrong first guess.</summary>
    private static string Extension(ReadOnlySpan<byte> payload) => VideoSniffer.Sniff(payload) switch
    {
        VideoFormat.QuickTime => ".mov",
        VideoFormat.Avi => ".avi",
        VideoFormat.Matroska => ".mkv",
        VideoFormat.WebM => ".webm",
        _ => ".mp4",
    };
}

/// <summary>A processed video: the result document, how many frames were decoded to sample it, and its detections in total.</summary>
internal sealed record VideoOutcome(VideoDetectionResult Result, int FramesRead, int Detections);

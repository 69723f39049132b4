using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Imaging;
using FaceObject.Core.Results;
using FaceObject.Core.Tasks;
using FaceObject.Inference.Video;
using FaceObject.Processing.Models;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// The video half of the detection job: samples frames, runs the task's model on each, reports progress, stores
/// frames and summary. A video OpenCV cannot open or decode fails the task at once, without retries.
/// </summary>
internal sealed partial class VideoDetection(LoadedModels models, TimeProvider clock, ILogger<VideoDetection> logger)
{
    /// <summary>Progress stays below this until the result is stored, which sets it to 1.</summary>
    private const double MaxRunningProgress = 0.99;

    public async Task RunAsync(TaskRun run, byte[] payload)
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
                    frames.Add(new FrameDetections(frame.Index, Math.Round(frame.TimeSeconds, 3), detections));
                    await run.ReportProgressAsync(Progress(reader, frames.Count, maxFrames));
                }
            }
            catch (VideoDecodeException e)
            {
                throw await run.FailAsync(e.Message);
            }
            catch (OperationCanceledException) when (run.LeaseLost)
            {
                return;
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
            Summary = VideoSummary.From(frames),
            ProcessedAt = clock.GetUtcNow(),
            ProcessingTimeMs = run.ElapsedMs,
            Device = detector.Info.Device,
        };
        var json = JsonSerializer.Serialize(result, FaceObjectJson.Options);
        var written = await run.CompleteAsync(json, result.ProcessedAt, result.ProcessingTimeMs);
        var total = result.Summary.Counts.Values.Sum();
        LogCompleted(task.TaskId, task.Model, frames.Count, framesRead, total, result.ProcessingTimeMs, written);
    }

    /// <summary>The larger share of the two ways a run ends: frames of the video read, or sampled frames of the maximum.</summary>
    private static double Progress(VideoFrameReader reader, int sampled, int maxFrames)
    {
        var byFrames = reader.Info.FrameCount is > 0 and var count ? (double)reader.FramesRead / count : 0;
        return Math.Min(MaxRunningProgress, Math.Max(byFrames, (double)sampled / maxFrames));
    }

    /// <summary>FFmpeg probes the content; a matching extension only spares it a wrong first guess.</summary>
    private static string Extension(ReadOnlySpan<byte> payload) => ImageSniffer.SniffVideo(payload) switch
    {
        VideoFormat.QuickTime => ".mov",
        VideoFormat.Avi => ".avi",
        VideoFormat.Matroska => ".mkv",
        VideoFormat.WebM => ".webm",
        _ => ".mp4",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Model} ran on {Sampled} of {Read} video frames, {Count} detections in {ElapsedMs} ms (stored: {Written})")]
    private partial void LogCompleted(string taskId, string model, int sampled, int read, int count, double elapsedMs, bool written);
}

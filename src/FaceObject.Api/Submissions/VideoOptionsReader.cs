using System.Globalization;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Submissions;

/// <summary>Reads the video options <c>sample_fps</c> and <c>max_frames</c> (form fields, falling back to the query) and fills in the defaults.</summary>
internal static class VideoOptionsReader
{
    public static bool TryRead(IFormCollection form, IQueryCollection query, DetectionOptions options, int maxFramesLimit,
        out DetectionOptions videoOptions, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        videoOptions = options;
        error = "";
        if (options.Annotate || options.Blur)
        {
            error = "'annotate' and 'blur' apply to images only; a video task returns detections per sampled frame.";
            return false;
        }

        var sampleFps = VideoSampling.DefaultSampleFps;
        if (Value(form, query, "sample_fps") is { } fpsText
            && (!double.TryParse(fpsText, NumberStyles.Float, CultureInfo.InvariantCulture, out sampleFps)
                || !(sampleFps is > 0 and <= VideoSampling.MaxSampleFps)))
        {
            error = $"'sample_fps' must be a number above 0 and at most {VideoSampling.MaxSampleFps} (frames per second of video to run the model on); got '{fpsText}'.";
            return false;
        }

        var maxFrames = Math.Min(VideoSampling.DefaultMaxFrames, maxFramesLimit);
        if (Value(form, query, "max_frames") is { } framesText
            && (!int.TryParse(framesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxFrames) || maxFrames < 1 || maxFrames > maxFramesLimit))
        {
            error = $"'max_frames' must be a whole number from 1 to {maxFramesLimit} (sampled frames at most); got '{framesText}'.";
            return false;
        }

        videoOptions = options with { SampleFps = sampleFps, MaxFrames = maxFrames };
        return true;
    }

    private static string? Value(IFormCollection form, IQueryCollection query, string name) =>
        form.TryGetValue(name, out var f) && !string.IsNullOrWhiteSpace(f) ? f.ToString()
        : query.TryGetValue(name, out var q) && !string.IsNullOrWhiteSpace(q) ? q.ToString()
        : null;
}

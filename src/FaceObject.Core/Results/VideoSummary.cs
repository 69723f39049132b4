namespace FaceObject.Core.Results;

/// <summary>A video result summed up: per class, all detections over the sampled frames and the most seen in one frame.</summary>
public sealed record VideoSummary(int FramesProcessed, IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, int> MaxInFrame)
{
    public static VideoSummary From(IReadOnlyCollection<FrameDetections> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var maxInFrame = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var frame in frames)
        {
            foreach (var group in frame.Detections.GroupBy(d => d.ClassName, StringComparer.Ordinal))
            {
                var inFrame = group.Count();
                counts[group.Key] = counts.GetValueOrDefault(group.Key) + inFrame;
                maxInFrame[group.Key] = Math.Max(maxInFrame.GetValueOrDefault(group.Key), inFrame);
            }
        }

        return new VideoSummary(frames.Count, counts, maxInFrame);
    }
}

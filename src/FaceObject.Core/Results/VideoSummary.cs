namespace FaceObject.Core.Results;

/// <summary>
/// A video result summed up, per class: all detections over the sampled frames (<see cref="Counts"/>: a person seen in 100
/// frames counts 100), the most seen in one frame, and the distinct objects the tracker followed until they were stable
/// (<see cref="Tracked"/>: that person counts 1).
/// </summary>
public sealed record VideoSummary(int FramesProcessed, IReadOnlyDictionary<string, int> Counts, IReadOnlyDictionary<string, int> MaxInFrame,
    IReadOnlyDictionary<string, int> Tracked)
{
    /// <param name="frames">The sampled frames' detections.</param>
    /// <param name="tracked">Distinct stable tracks per class; empty when the video was not tracked.</param>
    public static VideoSummary From(IReadOnlyCollection<FrameDetections> frames, IReadOnlyDictionary<string, int>? tracked = null)
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

        return new VideoSummary(frames.Count, counts, maxInFrame, new SortedDictionary<string, int>((tracked ?? new Dictionary<string, int>()).ToDictionary(), StringComparer.Ordinal));
    }
}

namespace FaceObject.Core.Results;

/// <summary>The stored result of a video task; the JSON shape is a public contract (DESIGN.md: frames and summary).</summary>
public sealed record VideoDetectionResult
{
    public required string TaskId { get; init; }

    public required string Model { get; init; }

    public required VideoInfo Video { get; init; }

    /// <summary>The sampled frames in video order, each with its detections (also the frames where nothing was found).</summary>
    public required IReadOnlyList<FrameDetections> Frames { get; init; }

    public required VideoSummary Summary { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }

    /// <summary>Payload fetch, decoding, inference on every sampled frame and post-processing, in milliseconds.</summary>
    public required double ProcessingTimeMs { get; init; }

    /// <summary>The execution provider that really ran the model: <c>cpu</c> or <c>cuda</c>.</summary>
    public string? Device { get; init; }
}

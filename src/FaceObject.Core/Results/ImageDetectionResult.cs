namespace FaceObject.Core.Results;

/// <summary>The stored result of an image task; the JSON shape is a public contract (DESIGN.md).</summary>
public sealed record ImageDetectionResult
{
    public required string TaskId { get; init; }

    public required string Model { get; init; }

    public required ImageSize Image { get; init; }

    public required IReadOnlyList<Detection> Detections { get; init; }

    public required DateTimeOffset ProcessedAt { get; init; }

    /// <summary>Decode, pre-process, inference and post-process time in milliseconds.</summary>
    public required double ProcessingTimeMs { get; init; }

    /// <summary>The execution provider that really ran the model: <c>cpu</c> or <c>cuda</c>.</summary>
    public string? Device { get; init; }
}

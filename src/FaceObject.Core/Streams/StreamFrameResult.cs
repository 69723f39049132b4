namespace FaceObject.Core.Streams;

/// <summary>What one detected frame of a stream held.</summary>
/// <param name="Sequence">The frame's number since the reader started.</param>
/// <param name="CapturedAt">When the frame arrived from the camera.</param>
/// <param name="DetectedAt">When detection on it finished; minus <paramref name="CapturedAt"/> it is the frame-to-event latency.</param>
/// <param name="Model">The model key that detected it.</param>
/// <param name="Detections">Tracked objects, highest confidence first.</param>
public sealed record StreamFrameResult(long Sequence, DateTimeOffset CapturedAt, DateTimeOffset DetectedAt, string Model, IReadOnlyList<StreamDetection> Detections);

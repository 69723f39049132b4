namespace FaceObject.Core.Streams;

/// <summary>A stored stream frame: JPEG bytes and when the camera delivered it.</summary>
public sealed record StreamFrameImage(ReadOnlyMemory<byte> Jpeg, DateTimeOffset CapturedAt);

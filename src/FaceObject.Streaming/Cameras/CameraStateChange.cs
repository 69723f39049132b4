namespace FaceObject.Streaming.Cameras;

/// <summary>A reader moved from <see cref="Previous"/> to <see cref="Status"/>.State; <see cref="Status"/> is the snapshot at that moment.</summary>
public sealed record CameraStateChange(CameraSource Source, CameraState Previous, CameraStatus Status, DateTimeOffset At);

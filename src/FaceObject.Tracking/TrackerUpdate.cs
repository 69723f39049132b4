namespace FaceObject.Tracking;

/// <summary>What one frame did: its detections with track ids (highest confidence first) and the events it raised.</summary>
/// <param name="Tracked">This frame's detections, each with its track.</param>
/// <param name="Events">Tracks that became stable, were seen again, or ended.</param>
/// <param name="Coasting">
/// Tracks missed in this frame (and at most one before it) at the box their filter predicts, with their last detection's
/// score: where an object hidden for a moment most likely is. Not detections; for evaluation and display.
/// </param>
public sealed record TrackerUpdate(IReadOnlyList<TrackedDetection> Tracked, IReadOnlyList<TrackEvent> Events, IReadOnlyList<TrackedDetection> Coasting);

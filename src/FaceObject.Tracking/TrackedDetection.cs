using FaceObject.Core.Results;

namespace FaceObject.Tracking;

/// <summary>A detection of this frame with the id of the track it belongs to, and whether that track is stable yet.</summary>
public sealed record TrackedDetection(Detection Detection, int TrackId, bool Stable);

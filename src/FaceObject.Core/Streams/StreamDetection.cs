using FaceObject.Core.Results;

namespace FaceObject.Core.Streams;

/// <summary>One object in one detected frame, with the id its track keeps across frames and whether the track is stable yet.</summary>
public sealed record StreamDetection(int ClassId, string ClassName, float Confidence, BoundingBox Bbox, int TrackId, bool Stable);

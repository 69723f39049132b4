using FaceObject.Core.Results;
using FaceObject.Core.Streams;

namespace FaceObject.Tracking;

/// <summary>A change in one stable track; times are those given to <see cref="ObjectTracker.Update"/>.</summary>
public sealed record TrackEvent(TrackEventKind Kind, int TrackId, string ClassName, float BestScore, TimeSpan FirstSeen, TimeSpan LastSeen, BoundingBox Box);

using FaceObject.Core.Results;

namespace FaceObject.Core.Streams;

/// <summary>A change in one stable tracked object of a stream.</summary>
/// <param name="Kind">New, update or end.</param>
/// <param name="TrackId">The track's id, unique within the stream's current reader.</param>
/// <param name="ClassName">What the object is.</param>
/// <param name="BestScore">The highest confidence it was seen with.</param>
/// <param name="FirstSeen">When it was first detected.</param>
/// <param name="LastSeen">When it was last detected.</param>
/// <param name="Bbox">Its latest box, in frame pixels.</param>
public sealed record StreamTrackEvent(TrackEventKind Kind, int TrackId, string ClassName, float BestScore, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, BoundingBox Bbox);

namespace FaceObject.Core.Results;

/// <summary>One detected object. <see cref="Bbox"/> is in original-image pixels.</summary>
public sealed record Detection(int ClassId, string ClassName, float Confidence, BoundingBox Bbox);

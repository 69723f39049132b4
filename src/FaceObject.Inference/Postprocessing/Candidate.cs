using FaceObject.Core.Results;

namespace FaceObject.Inference.Postprocessing;

/// <summary>A decoded box before NMS: class id, confidence 0 to 1, box in original-image pixels.</summary>
internal readonly record struct Candidate(int ClassId, float Score, BoundingBox Box);

using FaceObject.Core.Results;

namespace FaceObject.Testing.Mot;

/// <summary>One object in one frame of a MOT file: frame (from 1), id, box in pixels, COCO class id, visibility.</summary>
public sealed record MotBox(int Frame, int Id, BoundingBox Box, int ClassId = -1, float Visibility = 1);

namespace FaceObject.Core.Results;

/// <summary>Size of the image as the detector saw it (after EXIF orientation), in pixels.</summary>
public sealed record ImageSize(int Width, int Height);

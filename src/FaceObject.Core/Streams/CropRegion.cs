namespace FaceObject.Core.Streams;

/// <summary>The part of each frame that is detected, in frame pixels (x2/y2 exclusive); boxes are reported in full-frame pixels.</summary>
public sealed record CropRegion(int X1, int Y1, int X2, int Y2)
{
    public int Width => X2 - X1;

    public int Height => Y2 - Y1;

    /// <summary>Why this crop cannot be used on a <paramref name="width"/>×<paramref name="height"/> frame, or null when it can.</summary>
    public string? ProblemWith(int width, int height) =>
        X1 < 0 || Y1 < 0 || X2 > width || Y2 > height
            ? $"crop ({X1},{Y1})-({X2},{Y2}) lies outside the {width}x{height} frame"
            : Width < 16 || Height < 16
                ? $"crop ({X1},{Y1})-({X2},{Y2}) is smaller than 16x16 pixels"
                : null;
}

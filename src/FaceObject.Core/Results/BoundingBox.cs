namespace FaceObject.Core.Results;

/// <summary>A box in original-image pixels, corners inclusive of x1/y1, clipped to the image.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(BoundingBoxJsonConverter))]
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    public float Width => MathF.Max(0, X2 - X1);

    public float Height => MathF.Max(0, Y2 - Y1);

    public float Area => Width * Height;

    public BoundingBox ClipTo(int width, int height) => new(
        Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height),
        Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    /// <summary>Intersection over union; 0 when either box is empty.</summary>
    public float IoU(in BoundingBox other)
    {
        var iw = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        var ih = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        if (iw <= 0 || ih <= 0)
        {
            return 0;
        }

        var intersection = iw * ih;
        var union = Area + other.Area - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}

using FaceObject.Core.Results;

namespace FaceObject.Inference.Preprocessing;

/// <summary>
/// Where an original image went in the model input: scaled by (<see cref="ScaleX"/>, <see cref="ScaleY"/>) to
/// <see cref="ResizedWidth"/> x <see cref="ResizedHeight"/> pixels and placed with its top-left corner at
/// (<see cref="Left"/>, <see cref="Top"/>) of the input. Maps boxes from model-input pixels back to original pixels.
/// </summary>
internal readonly record struct InputTransform(
    int OriginalWidth,
    int OriginalHeight,
    int ResizedWidth,
    int ResizedHeight,
    int Left,
    int Top,
    float ScaleX,
    float ScaleY)
{
    /// <summary>True when the resized image does not cover the whole input, so the rest needs the pad value.</summary>
    public bool HasPadding(int inputWidth, int inputHeight) => ResizedWidth < inputWidth || ResizedHeight < inputHeight;

    public static InputTransform For(ResizeMode mode, int width, int height, int inputWidth, int inputHeight) => mode switch
    {
        ResizeMode.Stretch => Stretch(width, height, inputWidth, inputHeight),
        ResizeMode.LetterboxTopLeft => Letterbox(width, height, inputWidth, inputHeight, center: false),
        ResizeMode.LetterboxCenter => Letterbox(width, height, inputWidth, inputHeight, center: true),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>
    /// <c>r = min(inputWidth / width, inputHeight / height)</c>; boxes map back by dividing by r itself, not by the
    /// resized size's ratio. Each mode sizes the image as its reference implementation does: top-left (YOLOX)
    /// truncates, <c>int(w * r)</c>; centred (Ultralytics' <c>LetterBox</c>) rounds, <c>int(round(w * r))</c>, and puts
    /// the odd padding pixel after the image (<c>round(d/2 - 0.1)</c> before it).
    /// </summary>
    public static InputTransform Letterbox(int width, int height, int inputWidth, int inputHeight, bool center)
    {
        var r = Math.Min((float)inputWidth / width, (float)inputHeight / height);
        var resizedWidth = Math.Clamp(center ? RoundHalfEven(width * (double)r) : (int)(width * r), 1, inputWidth);
        var resizedHeight = Math.Clamp(center ? RoundHalfEven(height * (double)r) : (int)(height * r), 1, inputHeight);
        var left = center ? (inputWidth - resizedWidth) / 2 : 0;
        var top = center ? (inputHeight - resizedHeight) / 2 : 0;
        return new(width, height, resizedWidth, resizedHeight, left, top, r, r);
    }

    /// <summary>Python's <c>round</c>: halves go to the even neighbour.</summary>
    private static int RoundHalfEven(double value) => (int)Math.Round(value, MidpointRounding.ToEven);

    public static InputTransform Stretch(int width, int height, int inputWidth, int inputHeight) =>
        new(width, height, inputWidth, inputHeight, 0, 0, (float)inputWidth / width, (float)inputHeight / height);

    /// <summary>Maps corners from model-input pixels to original-image pixels, clipped to the original image.</summary>
    public BoundingBox ToOriginal(float x1, float y1, float x2, float y2) => new BoundingBox(
        (x1 - Left) / ScaleX,
        (y1 - Top) / ScaleY,
        (x2 - Left) / ScaleX,
        (y2 - Top) / ScaleY).ClipTo(OriginalWidth, OriginalHeight);
}

namespace FaceObject.Inference.Preprocessing;

/// <summary>Channel order of the planar input tensor.</summary>
internal enum ChannelOrder
{
    Bgr,
    Rgb,
}

/// <summary>How the original image is fitted into the model input.</summary>
internal enum ResizeMode
{
    /// <summary>Resize to the input size exactly; the aspect ratio is not kept.</summary>
    Stretch,

    /// <summary>Keep the aspect ratio, place the resized image at the top-left, fill the rest (YOLOX).</summary>
    LetterboxTopLeft,

    /// <summary>Keep the aspect ratio, centre the resized image, fill both sides (Ultralytics).</summary>
    LetterboxCenter,
}

/// <summary>
/// What a model type wants as input: a float32 tensor <c>[1,3,Height,Width]</c>, planar, in <see cref="Order"/>,
/// with each 8-bit pixel value v written as <c>v * Scale + Offset</c>. Immutable; shared by all calls.
/// </summary>
/// <param name="Name">The ONNX input name.</param>
/// <param name="Width">Input width in pixels.</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Order">Channel order of the planes.</param>
/// <param name="Resize">How the image is fitted into the input.</param>
/// <param name="PadValue">The 8-bit value letterbox padding gets, before scaling.</param>
/// <param name="Scale">Multiplier applied to each 8-bit value.</param>
/// <param name="Offset">Added after <paramref name="Scale"/>.</param>
internal sealed record InputSpec(
    string Name,
    int Width,
    int Height,
    ChannelOrder Order,
    ResizeMode Resize,
    byte PadValue,
    float Scale,
    float Offset)
{
    /// <summary>
    /// Per-channel offsets in OpenCV's B, G, R order, used instead of <see cref="Offset"/> when set (a mean to
    /// subtract, e.g. -104, -117, -123 for SqueezeNet).
    /// </summary>
    public IReadOnlyList<float>? ChannelOffsets { get; init; }

    /// <summary>The offset for OpenCV channel <paramref name="bgrChannel"/> (0 = B).</summary>
    public float OffsetOf(int bgrChannel) => ChannelOffsets is { } offsets ? offsets[bgrChannel] : Offset;

    /// <summary>Floats in one tensor: three planes of Width x Height.</summary>
    public int TensorLength => 3 * Width * Height;
}

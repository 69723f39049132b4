using FaceObject.Inference.Preprocessing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Preprocessing;

public sealed class TensorWriterTests
{
    private const int Size = 8;

    [Fact]
    public void Write_FillsBgrPlanesAndPadsWith114_WhenYoloxStyleLetterbox()
    {
        var spec = new InputSpec("images", Size, Size, ChannelOrder.Bgr, ResizeMode.LetterboxTopLeft, 114, 1f, 0f);
        using var image = new Mat(2, 4, MatType.CV_8UC3, new Scalar(10, 20, 30)); // B, G, R
        var pool = new TensorBufferPool(spec.TensorLength, 1);
        using var buffer = pool.Rent();

        var transform = TensorWriter.Write(image, spec, buffer);

        (transform.ResizedWidth, transform.ResizedHeight).Should().Be((8, 4));
        var t = buffer.Span;
        (At(t, 0, 1, 5), At(t, 1, 1, 5), At(t, 2, 1, 5)).Should().Be((10f, 20f, 30f));
        (At(t, 0, 3, 7), At(t, 1, 3, 7), At(t, 2, 3, 7)).Should().Be((10f, 20f, 30f), "the last resized row is image");
        (At(t, 0, 4, 0), At(t, 1, 6, 3), At(t, 2, 7, 7)).Should().Be((114f, 114f, 114f), "rows below the image are padding");
    }

    [Fact]
    public void Write_FillsRgbPlanesNormalised_WhenUltraFaceStyleStretch()
    {
        var spec = new InputSpec("input", Size, Size / 2, ChannelOrder.Rgb, ResizeMode.Stretch, 0, 1f / 128, -127f / 128);
        using var image = new Mat(30, 20, MatType.CV_8UC3, new Scalar(255, 127, 0)); // B=255, G=127, R=0
        var pool = new TensorBufferPool(spec.TensorLength, 1);
        using var buffer = pool.Rent();
        buffer.Span.Fill(float.NaN);

        TensorWriter.Write(image, spec, buffer);

        buffer.Span.ToArray().Should().NotContain(float.NaN, "a stretched image covers the whole input");
        var plane = Size * (Size / 2);
        buffer.Span[..plane].ToArray().Should().AllBeEquivalentTo(-127f / 128, "plane 0 is R");
        buffer.Span[plane..(2 * plane)].ToArray().Should().AllBeEquivalentTo(0f, "plane 1 is G");
        buffer.Span[(2 * plane)..].ToArray().Should().AllBeEquivalentTo(1f, "plane 2 is B");
    }

    [Fact]
    public void Write_PadsBothSides_WhenCenteredLetterbox()
    {
        var spec = new InputSpec("images", Size, Size, ChannelOrder.Rgb, ResizeMode.LetterboxCenter, 114, 1f / 255, 0f);
        using var image = new Mat(8, 4, MatType.CV_8UC3, Scalar.All(255));
        var pool = new TensorBufferPool(spec.TensorLength, 1);
        using var buffer = pool.Rent();

        var transform = TensorWriter.Write(image, spec, buffer);

        (transform.Left, transform.ResizedWidth).Should().Be((2, 4));
        At(buffer.Span, 0, 4, 1).Should().BeApproximately(114f / 255, 1e-6f);
        At(buffer.Span, 0, 4, 2).Should().Be(1f);
        At(buffer.Span, 0, 4, 5).Should().Be(1f);
        At(buffer.Span, 0, 4, 6).Should().BeApproximately(114f / 255, 1e-6f);
    }

    private static float At(Span<float> tensor, int plane, int y, int x) => tensor[(plane * Size * Size) + (y * Size) + x];
}

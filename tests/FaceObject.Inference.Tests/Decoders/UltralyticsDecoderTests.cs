using FaceObject.Core.Models;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Preprocessing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Decoders;

public sealed class UltralyticsDecoderTests
{
    [Theory]
    [InlineData(640, 640, 84, 8400)]     // yolov8n / yolo11n at 640
    [InlineData(640, 640, 84, 8500)]     // a P6 model (strides 8..64) at 640
    [InlineData(320, 320, 5, 2100)]      // one class at 320
    [InlineData(640, 640, 84, -1)]       // dynamic point count
    public void TryBind_ReturnsDecoder_WhenShapesAreAnUltralyticsExport(int width, int height, int channels, int points)
    {
        var signature = Signature([1, 3, height, width], [1, channels, points]);

        var decoder = UltralyticsDecoder.Type.TryBind(signature, new ModelOptions());

        decoder.Should().NotBeNull();
        (decoder!.ClassCount, decoder.Input.Width, decoder.Input.Height).Should().Be((channels - 4, width, height));
        decoder.Input.Should().BeEquivalentTo(new { Order = ChannelOrder.Rgb, Resize = ResizeMode.LetterboxCenter, PadValue = (byte)114, Scale = 1f / 255, Offset = 0f });
    }

    [Theory]
    [InlineData(new[] { 1, 3, 416, 416 }, new[] { 1, 3549, 85 })]  // YOLOX: points first
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, 84, 8000 })]  // not a grid's point count
    [InlineData(new[] { 1, 3, 630, 640 }, new[] { 1, 84, 8400 })]  // H not a multiple of 32
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, -1, 8400 })]  // class count not fixed
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, 4, 8400 })]   // no class
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 84, 8400 })]     // rank 2
    [InlineData(new[] { 1, 1, 640, 640 }, new[] { 1, 84, 8400 })]  // one channel
    public void TryBind_ReturnsNull_WhenShapesAreNotAnUltralyticsExport(int[] input, int[] output)
    {
        UltralyticsDecoder.Type.TryBind(Signature(input, output), new ModelOptions()).Should().BeNull();
    }

    [Theory]
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, 300, 84 })]   // rtdetr-l / rtdetr-x
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, -1, 84 })]    // dynamic query count
    public void RtDetrTryBind_ReturnsDecoderWithStretchedInput_WhenShapesAreAnRtDetrExport(int[] input, int[] output)
    {
        var decoder = RtDetrDecoder.Type.TryBind(Signature(input, output), new ModelOptions());

        decoder.Should().NotBeNull();
        decoder!.ClassCount.Should().Be(80);
        decoder.Input.Should().BeEquivalentTo(new { Order = ChannelOrder.Rgb, Resize = ResizeMode.Stretch, Scale = 1f / 255, Offset = 0f });
    }

    [Theory]
    [InlineData(new[] { 1, 3, 416, 416 }, new[] { 1, 3549, 85 })]  // YOLOX: thousands of points are not queries
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, 84, 8400 })]  // YOLOv8: the last dimension is the grid
    [InlineData(new[] { 1, 3, 640, 640 }, new[] { 1, 300, 4 })]    // no class
    public void RtDetrTryBind_ReturnsNull_WhenShapesAreNotAnRtDetrExport(int[] input, int[] output)
    {
        RtDetrDecoder.Type.TryBind(Signature(input, output), new ModelOptions()).Should().BeNull();
    }

    [Fact]
    public void Write_FillsRgbScaledToOneAndPadsAboveAndBelowWith114_WhenUltralyticsInput()
    {
        const int size = 32;
        var spec = UltralyticsDecoder.Type.TryBind(Signature([1, 3, -1, -1], [1, 5, -1]), new ModelOptions { InputWidth = size, InputHeight = size })!.Input;
        using var image = new Mat(2, 4, MatType.CV_8UC3, new Scalar(10, 20, 30)); // B, G, R
        var pool = new TensorBufferPool(spec.TensorLength, 1);
        using var buffer = pool.Rent();

        var transform = TensorWriter.Write(image, spec, buffer);

        // 4x2 into 32x32: r = 8, resized 32x16, eight rows of padding above and eight below.
        (transform.Top, transform.ResizedHeight).Should().Be((8, 16));
        var t = buffer.Span.ToArray();
        float At(int plane, int y, int x) => t[(plane * size * size) + (y * size) + x];
        At(0, 12, 12).Should().BeApproximately(30f / 255, 1e-6f, "plane 0 is R");
        At(1, 12, 12).Should().BeApproximately(20f / 255, 1e-6f, "plane 1 is G");
        At(2, 12, 12).Should().BeApproximately(10f / 255, 1e-6f, "plane 2 is B");
        At(0, 0, 0).Should().BeApproximately(114f / 255, 1e-6f);
        At(2, 7, 31).Should().BeApproximately(114f / 255, 1e-6f);
        At(1, 24, 4).Should().BeApproximately(114f / 255, 1e-6f);
        At(0, 8, 0).Should().BeApproximately(30f / 255, 1e-6f, "the first image row");
        At(0, 23, 31).Should().BeApproximately(30f / 255, 1e-6f, "the last image row");
    }

    private static ModelSignature Signature(int[] input, int[] output) =>
        new([new TensorSignature("images", "float32", input)], [new TensorSignature("output0", "float32", output)]);
}

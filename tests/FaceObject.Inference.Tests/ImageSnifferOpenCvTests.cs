using FaceObject.Core.Imaging;
using OpenCvSharp;

namespace FaceObject.Inference.Tests;

/// <summary>Cross-checks Core's header reader (which must not load OpenCV) against files OpenCV really writes.</summary>
public sealed class ImageSnifferOpenCvTests
{
    [Theory]
    [InlineData(".jpg", ImageFormat.Jpeg)]
    [InlineData(".png", ImageFormat.Png)]
    [InlineData(".bmp", ImageFormat.Bmp)]
    [InlineData(".webp", ImageFormat.WebP)]
    public void TryReadSize_MatchesDecodedSize_WhenOpenCvEncodedTheFile(string extension, ImageFormat format)
    {
        using var source = new Mat(23, 37, MatType.CV_8UC3, new Scalar(1, 2, 3));
        var bytes = ImageDecoderTests.Encode(extension, source);

        ImageSniffer.Sniff(bytes).Should().Be(format);
        ImageSniffer.TryReadSize(bytes, out var width, out var height).Should().BeTrue();
        (width, height).Should().Be((37, 23));
    }

    [Fact]
    public void TryReadSize_ReadsLosslessWebP_WhenOpenCvEncodedAtQualityAbove100()
    {
        using var source = new Mat(9, 1000, MatType.CV_8UC3, new Scalar(1, 2, 3));
        Cv2.ImEncode(".webp", source, out var bytes, [new ImageEncodingParam(ImwriteFlags.WebPQuality, 101)]);

        ImageSniffer.TryReadSize(bytes, out var width, out var height).Should().BeTrue();
        (width, height).Should().Be((1000, 9));
        bytes.AsSpan(12, 4).ToArray().Should().Equal("VP8L"u8.ToArray());
    }
}

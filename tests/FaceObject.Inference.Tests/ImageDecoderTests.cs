using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests;

public sealed class ImageDecoderTests
{
    [Fact]
    public void Decode_ReturnsBgrOfHeaderSize_WhenRealJpeg()
    {
        using var image = ImageDecoder.Decode(TestPaths.ImageBytes("dog.jpg"));

        image.Type().Should().Be(MatType.CV_8UC3);
        (image.Width, image.Height).Should().Be((768, 576));
    }

    [Fact]
    public void Decode_ThrowsImageDecodeException_WhenBytesAreGarbage()
    {
        var garbage = new byte[1000];
        new Random(7).NextBytes(garbage);

        var act = () => ImageDecoder.Decode(garbage);

        act.Should().Throw<ImageDecodeException>().WithMessage("*not a recognised image format*JPEG, PNG, WebP and BMP*");
    }

    [Fact]
    public void Decode_ThrowsImageDecodeException_WhenEmpty()
    {
        var act = () => ImageDecoder.Decode([]);

        act.Should().Throw<ImageDecodeException>().WithMessage("*empty*");
    }

    [Fact]
    public void Decode_ThrowsNamingFormat_WhenJpegIsCutInsideHeader()
    {
        var cut = TestPaths.ImageBytes("dog.jpg")[..300];

        var act = () => ImageDecoder.Decode(cut);

        act.Should().Throw<ImageDecodeException>().WithMessage("*JPEG*");
    }

    [Fact]
    public void Decode_ReturnsThreeChannelBgr_WhenPngHasAlpha()
    {
        using var rgba = new Mat(20, 30, MatType.CV_8UC4, new Scalar(10, 20, 30, 128));

        using var image = ImageDecoder.Decode(Encode(".png", rgba));

        image.Type().Should().Be(MatType.CV_8UC3);
        (image.Width, image.Height).Should().Be((30, 20));
        image.Get<Vec3b>(5, 5).Should().Be(new Vec3b(10, 20, 30));
    }

    [Fact]
    public void Decode_ReturnsThreeChannelBgr_WhenPngIsGrayscale()
    {
        using var gray = new Mat(16, 16, MatType.CV_8UC1, Scalar.All(77));

        using var image = ImageDecoder.Decode(Encode(".png", gray));

        image.Type().Should().Be(MatType.CV_8UC3);
        image.Get<Vec3b>(3, 3).Should().Be(new Vec3b(77, 77, 77));
    }

    [Fact]
    public void Decode_ReturnsEightBit_WhenPngIsSixteenBit()
    {
        using var deep = new Mat(8, 8, MatType.CV_16UC3, Scalar.All(65535));

        using var image = ImageDecoder.Decode(Encode(".png", deep));

        image.Type().Should().Be(MatType.CV_8UC3);
        image.Get<Vec3b>(1, 1).Should().Be(new Vec3b(255, 255, 255));
    }

    [Theory]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void Decode_ReturnsBgr_WhenOtherAcceptedFormat(string extension)
    {
        using var source = new Mat(12, 34, MatType.CV_8UC3, new Scalar(0, 0, 255));

        using var image = ImageDecoder.Decode(Encode(extension, source));

        image.Type().Should().Be(MatType.CV_8UC3);
        (image.Width, image.Height).Should().Be((34, 12));
    }

    [Fact]
    public void Decode_AppliesExifOrientation_WhenJpegSaysRotate90()
    {
        using var wide = new Mat(20, 40, MatType.CV_8UC3, Scalar.All(200));
        var jpeg = WithExifOrientation(Encode(".jpg", wide), orientation: 6);

        using var image = ImageDecoder.Decode(jpeg);

        (image.Width, image.Height).Should().Be((20, 40), "orientation 6 means the stored image must be turned 90 degrees");
    }

    internal static byte[] Encode(string extension, Mat image)
    {
        Cv2.ImEncode(extension, image, out var bytes).Should().BeTrue();
        return bytes;
    }

    /// <summary>Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, byte orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22,                           // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0, 0, 0,  // little-endian TIFF, IFD0 at 8
            0x01, 0x00,                                       // one entry
            0x12, 0x01, 0x03, 0x00, 0x01, 0, 0, 0, orientation, 0, 0, 0, // Orientation, SHORT, 1
            0, 0, 0, 0,                                       // no next IFD
        ];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }
}

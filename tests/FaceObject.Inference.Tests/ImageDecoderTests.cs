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
        var jpeg = JpegExif.WithOrientation(Encode(".jpg", wide), orientation: 6);

        using var image = ImageDecoder.Decode(jpeg);

        (image.Width, image.Height).Should().Be((20, 40), "orientation 6 means the stored image must be turned 90 degrees");
    }

    [Fact]
    public void Decode_ReturnsBgrOfPrintSize_WhenJpegIsCmyk()
    {
        var cmyk = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "tests", "FaceObject.Inference.Tests", "Fixtures", "dog_cmyk.jpg"));
        using var reference = TestImages.Load("dog.jpg");
        using var halfSize = reference.Resize(new Size(384, 288), 0, 0, InterpolationFlags.Area);

        using var image = ImageDecoder.Decode(cmyk);

        image.Type().Should().Be(MatType.CV_8UC3);
        (image.Width, image.Height).Should().Be((384, 288));
        Cv2.Norm(image, halfSize, NormTypes.L1).Should().BeLessThan(15.0 * 3 * 384 * 288, "the colours come out as in the RGB original, not inverted");
    }

    [Fact]
    public void Decode_ReturnsThreeChannelEightBit_WhenPngIsSixteenBitWithAlpha()
    {
        using var deep = new Mat(8, 8, MatType.CV_16UC4, new Scalar(0, 32896, 65535, 30000));

        using var image = ImageDecoder.Decode(Encode(".png", deep));

        image.Type().Should().Be(MatType.CV_8UC3);
        image.Get<Vec3b>(4, 4).Should().Be(new Vec3b(0, 128, 255));
    }

    internal static byte[] Encode(string extension, Mat image)
    {
        Cv2.ImEncode(extension, image, out var bytes).Should().BeTrue();
        return bytes;
    }
}

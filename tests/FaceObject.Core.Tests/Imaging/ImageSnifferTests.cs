using FaceObject.Core.Imaging;
using FaceObject.Testing;

namespace FaceObject.Core.Tests.Imaging;

public sealed class ImageSnifferTests
{
    public static TheoryData<string, int, int> TestImages => new()
    {
        { "dog.jpg", 768, 576 },
        { "eagle.jpg", 773, 512 },
        { "giraffe.jpg", 500, 500 },
        { "horses.jpg", 773, 512 },
        { "person.jpg", 640, 424 },
        { "faces_1.jpg", 720, 478 },
        { "faces_2.jpg", 1024, 484 },
        { "faces_3.jpg", 1024, 768 },
        { "faces_6.jpg", 1024, 768 },
        { "faces_10.jpg", 1024, 715 },
    };

    [Theory]
    [InlineData("dog.jpg")]
    [InlineData("faces_1.jpg")]
    [InlineData("giraffe.jpg")]
    public void Sniff_ReturnsJpeg_WhenRealTestImage(string file)
    {
        ImageSniffer.Sniff(TestPaths.ImageBytes(file)).Should().Be(ImageFormat.Jpeg);
    }

    [Theory]
    [MemberData(nameof(TestImages))]
    public void TryReadSize_ReturnsFrameSize_WhenRealTestImage(string file, int width, int height)
    {
        // dog.jpg and the darknet images start with a large EXIF block: the reader must walk past it.
        ImageSniffer.TryReadSize(TestPaths.ImageBytes(file), out var w, out var h).Should().BeTrue();

        (w, h).Should().Be((width, height));
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenJpegIsCutBeforeFrameHeader()
    {
        var bytes = TestPaths.ImageBytes("dog.jpg").AsSpan(0, 200);

        ImageSniffer.Sniff(bytes).Should().Be(ImageFormat.Jpeg);
        ImageSniffer.TryReadSize(bytes, out var w, out var h).Should().BeFalse();
        (w, h).Should().Be((0, 0));
    }

    [Fact]
    public void TryReadSize_ReadsProgressiveFrame_WhenFillBytesPrecedeMarker()
    {
        byte[] jpeg =
        [
            0xFF, 0xD8,
            0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
            0xFF, 0xFF, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ];

        ImageSniffer.TryReadSize(jpeg, out var w, out var h).Should().BeTrue();

        (w, h).Should().Be((640, 480));
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenJpegScanStartsBeforeAnyFrameHeader()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00];

        ImageSniffer.TryReadSize(jpeg, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReadsIhdr_WhenPngClaims100000x100000()
    {
        var png = HeaderBytes.Png(100_000, 100_000);

        ImageSniffer.Sniff(png).Should().Be(ImageFormat.Png);
        ImageSniffer.TryReadSize(png, out var w, out var h).Should().BeTrue();

        (w, h).Should().Be((100_000, 100_000));
        ((long)w * h).Should().BeGreaterThan(50_000_000, "the API refuses this with 413 before decoding");
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenPngDimensionExceedsInt32()
    {
        ImageSniffer.TryReadSize(HeaderBytes.Png(0x8000_0000, 10), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenPngIsTruncatedInsideIhdr()
    {
        var png = HeaderBytes.Png(640, 480).AsSpan(0, 20);

        ImageSniffer.Sniff(png).Should().Be(ImageFormat.Png);
        ImageSniffer.TryReadSize(png, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenPngDimensionIsZero()
    {
        ImageSniffer.TryReadSize(HeaderBytes.Png(0, 480), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReadsVp8Frame_WhenWebPIsLossy()
    {
        var webp = HeaderBytes.WebPLossy(1920, 1080);

        ImageSniffer.Sniff(webp).Should().Be(ImageFormat.WebP);
        ImageSniffer.TryReadSize(webp, out var w, out var h).Should().BeTrue();
        (w, h).Should().Be((1920, 1080));
    }

    [Fact]
    public void TryReadSize_ReadsVp8lHeader_WhenWebPIsLossless()
    {
        var webp = HeaderBytes.WebPLossless(16383, 2);

        ImageSniffer.TryReadSize(webp, out var w, out var h).Should().BeTrue();
        (w, h).Should().Be((16383, 2));
    }

    [Fact]
    public void TryReadSize_ReadsCanvas_WhenWebPIsExtended()
    {
        var webp = HeaderBytes.WebPExtended(10_000, 9_000);

        ImageSniffer.TryReadSize(webp, out var w, out var h).Should().BeTrue();
        (w, h).Should().Be((10_000, 9_000));
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenWebPLossyStartCodeIsWrong()
    {
        var webp = HeaderBytes.WebPLossy(100, 100);
        webp[24] = 0;

        ImageSniffer.TryReadSize(webp, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReturnsAbsoluteHeight_WhenBmpIsTopDown()
    {
        var bmp = HeaderBytes.Bmp(300, -200);

        ImageSniffer.Sniff(bmp).Should().Be(ImageFormat.Bmp);
        ImageSniffer.TryReadSize(bmp, out var w, out var h).Should().BeTrue();
        (w, h).Should().Be((300, 200));
    }

    [Fact]
    public void TryReadSize_ReadsSixteenBitSize_WhenBmpHasCoreHeader()
    {
        ImageSniffer.TryReadSize(HeaderBytes.BmpCore(64, 48), out var w, out var h).Should().BeTrue();

        (w, h).Should().Be((64, 48));
    }

    [Fact]
    public void TryReadSize_ReturnsFalse_WhenBmpWidthIsNegative()
    {
        ImageSniffer.TryReadSize(HeaderBytes.Bmp(-5, 10), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void TryReadSize_ReadsLogicalScreen_WhenGif()
    {
        var gif = HeaderBytes.Gif(320, 200);

        ImageSniffer.Sniff(gif).Should().Be(ImageFormat.Gif);
        ImageSniffer.TryReadSize(gif, out var w, out var h).Should().BeTrue();
        (w, h).Should().Be((320, 200));
    }

    [Fact]
    public void Sniff_ReturnsNull_WhenEmpty()
    {
        ImageSniffer.Sniff([]).Should().BeNull();
        ImageSniffer.TryReadSize([], out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Sniff_ReturnsNull_WhenTextStartsWithBm()
    {
        ImageSniffer.Sniff("BM is not a bitmap header, just text"u8).Should().BeNull();
    }

    [Fact]
    public void Sniff_ReturnsNull_WhenRiffHoldsAvi()
    {
        ImageSniffer.Sniff(HeaderBytes.Riff("AVI ")).Should().BeNull();
    }

    [Fact]
    public void Sniff_ReturnsNull_WhenVideo()
    {
        ImageSniffer.Sniff(File.ReadAllBytes(TestPaths.Video("slideshow.mp4"))).Should().BeNull();
    }
}

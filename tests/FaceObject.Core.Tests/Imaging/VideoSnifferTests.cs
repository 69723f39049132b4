using FaceObject.Core.Imaging;
using FaceObject.Testing;

namespace FaceObject.Core.Tests.Imaging;

public sealed class VideoSnifferTests
{
    [Fact]
    public void Sniff_ReturnsMp4_WhenRealTestVideo()
    {
        VideoSniffer.Sniff(File.ReadAllBytes(TestPaths.Video("slideshow.mp4"))).Should().Be(VideoFormat.Mp4);
    }

    [Theory]
    [InlineData("isom", VideoFormat.Mp4)]
    [InlineData("mp42", VideoFormat.Mp4)]
    [InlineData("M4V ", VideoFormat.Mp4)]
    [InlineData("qt  ", VideoFormat.QuickTime)]
    public void Sniff_ReadsFtypBrand_WhenIsoBaseMedia(string brand, VideoFormat expected)
    {
        VideoSniffer.Sniff(HeaderBytes.Ftyp(brand)).Should().Be(expected);
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("avif")]
    [InlineData("mif1")]
    public void Sniff_ReturnsNull_WhenFtypBrandIsStillImage(string brand)
    {
        VideoSniffer.Sniff(HeaderBytes.Ftyp(brand)).Should().BeNull();
    }

    [Fact]
    public void Sniff_ReturnsAvi_WhenRiffHoldsAvi()
    {
        VideoSniffer.Sniff(HeaderBytes.Riff("AVI ")).Should().Be(VideoFormat.Avi);
    }

    [Theory]
    [InlineData("webm", VideoFormat.WebM)]
    [InlineData("matroska", VideoFormat.Matroska)]
    [InlineData(null, VideoFormat.Matroska)]
    public void Sniff_ReadsEbmlDocType_WhenMatroskaFamily(string? docType, VideoFormat expected)
    {
        VideoSniffer.Sniff(HeaderBytes.Ebml(docType)).Should().Be(expected);
    }

    [Fact]
    public void Sniff_ReturnsMatroska_WhenEbmlHeaderIsTruncated()
    {
        VideoSniffer.Sniff([0x1A, 0x45, 0xDF, 0xA3]).Should().Be(VideoFormat.Matroska);
    }

    [Fact]
    public void Sniff_ReturnsNull_WhenImage()
    {
        VideoSniffer.Sniff(TestPaths.ImageBytes("dog.jpg")).Should().BeNull();
        VideoSniffer.Sniff(HeaderBytes.WebPLossy(10, 10)).Should().BeNull();
        VideoSniffer.Sniff([]).Should().BeNull();
    }
}

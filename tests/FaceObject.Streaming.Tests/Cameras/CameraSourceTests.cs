using FaceObject.Streaming.Cameras;

namespace FaceObject.Streaming.Tests.Cameras;

public sealed class CameraSourceTests
{
    [Theory]
    [InlineData("rtsp://10.0.0.5:554/stream1", false, CameraSourceKind.Rtsp)]
    [InlineData("rtsps://cam.local/live", false, CameraSourceKind.Rtsp)]
    [InlineData("http://10.0.0.5/video.mjpg", false, CameraSourceKind.Mjpeg)]
    [InlineData("https://cam.example.com/mjpeg", false, CameraSourceKind.Mjpeg)]
    [InlineData("http://10.0.0.5/snapshot.jpg", true, CameraSourceKind.Snapshot)]
    [InlineData("https://cam.example.com/still", true, CameraSourceKind.Snapshot)]
    public void TryParse_ReturnsKindFromScheme_WhenUrlIsACameraUrl(string url, bool snapshot, CameraSourceKind kind)
    {
        CameraSource.TryParse(url, snapshot, out var source, out var error).Should().BeTrue(error);

        source!.Kind.Should().Be(kind);
        source.Url.Should().Be(new Uri(url));
    }

    [Theory]
    [InlineData("ftp://10.0.0.5/video")]
    [InlineData("file:///etc/passwd")]
    [InlineData("rtmp://10.0.0.5/live")]
    [InlineData("udp://10.0.0.5:1234")]
    public void TryParse_RefusesOtherSchemes_ListingWhatIsAccepted(string url)
    {
        CameraSource.TryParse(url, snapshot: false, out var source, out var error).Should().BeFalse();

        source.Should().BeNull();
        error.Should().Contain("is not a camera source").And.Contain("rtsp://").And.Contain("multipart/x-mixed-replace").And.Contain("snapshot");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    public void TryParse_RefusesMalformedUrls_ListingWhatIsAccepted(string url)
    {
        CameraSource.TryParse(url, snapshot: false, out _, out var error).Should().BeFalse();

        error.Should().Contain("rtsp://");
    }

    [Fact]
    public void TryParse_RefusesRtspUrl_WhenGivenAsSnapshot()
    {
        CameraSource.TryParse("rtsp://10.0.0.5/live", snapshot: true, out _, out var error).Should().BeFalse();

        error.Should().Contain("snapshot URL must be http:// or https://");
    }

    [Fact]
    public void Parse_Throws_WhenUrlIsTooLong()
    {
        var act = () => CameraSource.Parse("rtsp://10.0.0.5/" + new string('a', 3000));

        act.Should().Throw<ArgumentException>().WithMessage("*at most 2048*");
    }

    [Fact]
    public void ToString_HidesThePassword_WhenUrlHasCredentials()
    {
        var source = CameraSource.Parse("rtsp://admin:s3cret@10.0.0.5:554/stream1");

        source.ToString().Should().NotContain("s3cret").And.Contain("admin").And.Contain("10.0.0.5:554/stream1");
        source.Redacted.Should().NotContain("s3cret");
    }
}

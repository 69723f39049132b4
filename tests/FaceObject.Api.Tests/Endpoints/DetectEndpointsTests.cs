using FaceObject.Api.Endpoints;

namespace FaceObject.Api.Tests.Endpoints;

public sealed class DetectEndpointsTests
{
    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("photo.jpg", "photo.jpg")]
    [InlineData("/abs/path/x.png", "x.png")]
    [InlineData("..", null)]
    [InlineData("  ", null)]
    [InlineData("a\u0000b.jpg", "ab.jpg")]
    public void SafeFileName_KeepsOnlyTheLastNamePart(string given, string? expected) =>
        DetectEndpoints.SafeFileName(given).Should().Be(expected);
}

using FaceObject.Api.Submissions;
using FaceObject.Testing;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Submissions;

public sealed class VideoUploadValidatorTests
{
    [Fact]
    public void Check_Accepts_WhenBytesAreTheSlideshowMp4() =>
        VideoUploadValidator.Check(File.ReadAllBytes(TestPaths.Video("slideshow.mp4")), 10_000_000).Should().BeNull();

    [Fact]
    public void Check_Answers415NamingTheImageEndpoint_WhenBytesAreAnImage()
    {
        var problem = VideoUploadValidator.Check(TestPaths.ImageBytes("dog.jpg"), 10_000_000);

        problem!.Status.Should().Be(StatusCodes.Status415UnsupportedMediaType);
        problem.Detail.Should().Contain("/image");
    }

    [Fact]
    public void Check_Answers415ListingTheContainers_WhenBytesAreText()
    {
        var problem = VideoUploadValidator.Check("just text, named movie.mp4"u8, 10_000_000);

        problem!.Status.Should().Be(StatusCodes.Status415UnsupportedMediaType);
        problem.Detail.Should().Contain(VideoUploadValidator.Accepted);
    }

    [Fact]
    public void Check_Answers413_WhenLargerThanTheLimit() =>
        VideoUploadValidator.Check(File.ReadAllBytes(TestPaths.Video("slideshow.mp4")), 1000)!.Status.Should().Be(StatusCodes.Status413PayloadTooLarge);

    [Fact]
    public void Check_Answers400_WhenEmpty() =>
        VideoUploadValidator.Check([], 1000)!.Status.Should().Be(StatusCodes.Status400BadRequest);

    [Fact]
    public void Check_RecognisesTheVideoFromItsHeaderAlone_SoUploadsCanStreamOn()
    {
        var video = File.ReadAllBytes(TestPaths.Video("slideshow.mp4"));
        var header = video.AsSpan(0, VideoUploadValidator.HeaderBytes);

        VideoUploadValidator.Check(header, video.Length, 10_000_000).Should().BeNull();
        VideoUploadValidator.Check(header, video.Length, video.Length - 1)!.Status.Should().Be(StatusCodes.Status413PayloadTooLarge);
        VideoUploadValidator.Check(TestPaths.ImageBytes("dog.jpg").AsSpan(0, VideoUploadValidator.HeaderBytes), video.Length, 10_000_000)!
            .Status.Should().Be(StatusCodes.Status415UnsupportedMediaType);
    }
}

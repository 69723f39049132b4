using FaceObject.Api.Submissions;
using FaceObject.Core.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FaceObject.Api.Tests.Submissions;

public sealed class VideoOptionsReaderTests
{
    private static bool Read(Dictionary<string, StringValues> form, out DetectionOptions options, out string error, DetectionOptions? given = null) =>
        VideoOptionsReader.TryRead(new FormCollection(form), QueryCollection.Empty, given ?? new DetectionOptions(), 1000, out options, out error);

    [Fact]
    public void TryRead_FillsDefaults_WhenNothingIsGiven()
    {
        Read([], out var options, out _).Should().BeTrue();

        options.SampleFps.Should().Be(VideoSampling.DefaultSampleFps);
        options.MaxFrames.Should().Be(VideoSampling.DefaultMaxFrames);
    }

    [Fact]
    public void TryRead_KeepsTheOtherOptions_WhenAddingVideoOnes()
    {
        Read(new() { ["sample_fps"] = "0.5", ["max_frames"] = "12" }, out var options, out _, new DetectionOptions { ScoreThreshold = 0.4f })
            .Should().BeTrue();

        options.Should().Be(new DetectionOptions { ScoreThreshold = 0.4f, SampleFps = 0.5, MaxFrames = 12 });
    }

    [Theory]
    [InlineData("sample_fps", "0")]
    [InlineData("sample_fps", "-2")]
    [InlineData("sample_fps", "31")]
    [InlineData("sample_fps", "fast")]
    [InlineData("sample_fps", "NaN")]
    [InlineData("max_frames", "0")]
    [InlineData("max_frames", "1001")]
    [InlineData("max_frames", "2.5")]
    public void TryRead_RefusesWithTheNameAndRange_WhenOutOfRange(string name, string value)
    {
        Read(new() { [name] = value }, out _, out var error).Should().BeFalse();

        error.Should().Contain($"'{name}'").And.Contain(value);
    }

    [Fact]
    public void TryRead_Refuses_WhenAnnotateIsAskedForAVideo()
    {
        Read([], out _, out var error, new DetectionOptions { Annotate = true }).Should().BeFalse();

        error.Should().Contain("images only");
    }
}

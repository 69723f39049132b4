using FaceObject.Inference.Video;
using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Video;

/// <summary>The real slideshow (6 s at 10 fps, 60 frames) through OpenCV's FFmpeg backend.</summary>
public sealed class VideoFrameReaderTests
{
    private static byte[] Slideshow => File.ReadAllBytes(TestPaths.Video("slideshow.mp4"));

    [Fact]
    public void Open_ReadsSizeRateAndLength_WhenVideoIsTheSlideshow()
    {
        using var reader = VideoFrameReader.Open(Slideshow);

        reader.Info.Width.Should().BeGreaterThan(0);
        reader.Info.Height.Should().BeGreaterThan(0);
        reader.Info.Fps.Should().BeApproximately(10, 0.01);
        reader.Info.FrameCount.Should().Be(60);
        reader.Info.DurationSeconds.Should().BeApproximately(6, 0.01);
    }

    [Fact]
    public void ReadSampled_TakesEveryFifthFrame_WhenSamplingAtTwoFpsFromTen()
    {
        using var reader = VideoFrameReader.Open(Slideshow);

        var frames = reader.ReadSampled(2, 1000).Select(f => (f.Index, f.TimeSeconds)).ToList();

        frames.Select(f => f.Index).Should().Equal(Enumerable.Range(0, 12).Select(i => i * 5));
        frames.Select(f => f.TimeSeconds).Should().Equal(Enumerable.Range(0, 12).Select(i => i * 0.5), (a, b) => Math.Abs(a - b) < 1e-9);
        reader.FramesRead.Should().Be(60);
    }

    [Fact]
    public void ReadSampled_ReturnsEveryFrame_WhenSampleRateIsAboveTheVideoRate()
    {
        using var reader = VideoFrameReader.Open(Slideshow);

        var frames = reader.ReadSampled(30, 1000).Select(f => f.Index).ToList();

        frames.Should().Equal(Enumerable.Range(0, 60));
    }

    [Fact]
    public void ReadSampled_StopsAtMaxFrames_WhenVideoHasMore()
    {
        using var reader = VideoFrameReader.Open(Slideshow);

        var frames = reader.ReadSampled(10, 7).Select(f => f.Index).ToList();

        frames.Should().Equal(Enumerable.Range(0, 7));
        reader.FramesRead.Should().Be(7, "decoding stops with the last frame it needs");
    }

    [Fact]
    public void ReadSampled_YieldsBgrFramesOfTheVideoSize()
    {
        using var reader = VideoFrameReader.Open(Slideshow);

        foreach (var frame in reader.ReadSampled(1, 3))
        {
            frame.Image.Type().Should().Be(MatType.CV_8UC3);
            frame.Image.Width.Should().Be(reader.Info.Width);
            frame.Image.Height.Should().Be(reader.Info.Height);
        }
    }

    [Fact]
    public void Open_ThrowsVideoDecodeException_WhenBytesAreNotAVideo()
    {
        // A real MP4 header followed by noise: it sniffs as MP4 but FFmpeg cannot open it.
        var damaged = Slideshow[..64].Concat(new byte[4096]).ToArray();

        var act = () => VideoFrameReader.Open(damaged);

        act.Should().Throw<VideoDecodeException>().WithMessage("*could not be opened*");
    }

    [Fact]
    public void Dispose_LeavesNoTemporaryFileBehind()
    {
        var before = TempVideoDirectories();

        using (var reader = VideoFrameReader.Open(Slideshow))
        {
            reader.ReadSampled(2, 3).Count().Should().Be(3);
        }

        TempVideoDirectories().Should().BeSubsetOf(before);
    }

    private static string[] TempVideoDirectories() =>
        Directory.GetDirectories(Path.GetTempPath(), "faceobject-video-*");
}

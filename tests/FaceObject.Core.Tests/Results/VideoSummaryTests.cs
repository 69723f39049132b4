using FaceObject.Core.Results;

namespace FaceObject.Core.Tests.Results;

public sealed class VideoSummaryTests
{
    private static Detection Of(string name) => new(0, name, 0.9f, new BoundingBox(0, 0, 1, 1));

    [Fact]
    public void From_SumsEachClassAndKeepsTheMostInOneFrame()
    {
        FrameDetections[] frames =
        [
            new(0, 0, [Of("dog"), Of("dog"), Of("car")]),
            new(5, 0.5, []),
            new(10, 1, [Of("dog"), Of("person"), Of("person"), Of("person")]),
        ];

        var summary = VideoSummary.From(frames);

        summary.FramesProcessed.Should().Be(3);
        summary.Counts.Should().Equal(new Dictionary<string, int> { ["car"] = 1, ["dog"] = 3, ["person"] = 3 });
        summary.MaxInFrame.Should().Equal(new Dictionary<string, int> { ["car"] = 1, ["dog"] = 2, ["person"] = 3 });
        summary.Tracked.Should().BeEmpty();
    }

    [Fact]
    public void From_KeepsTheTrackedObjectsPerClass_BesideThePerFrameCounts()
    {
        FrameDetections[] frames = [new(0, 0, [Of("dog")]), new(1, 0.2, [Of("dog")]), new(2, 0.4, [Of("dog")])];

        var summary = VideoSummary.From(frames, new Dictionary<string, int> { ["dog"] = 1 });

        summary.Counts.Should().Equal(new Dictionary<string, int> { ["dog"] = 3 });
        summary.Tracked.Should().Equal(new Dictionary<string, int> { ["dog"] = 1 });
    }

    [Fact]
    public void From_GivesEmptyCounts_WhenNothingWasFound()
    {
        var summary = VideoSummary.From([new FrameDetections(0, 0, [])]);

        summary.FramesProcessed.Should().Be(1);
        summary.Counts.Should().BeEmpty();
        summary.MaxInFrame.Should().BeEmpty();
    }
}

using FaceObject.Core.Results;
using FaceObject.Core.Streams;
using FaceObject.Testing.Mot;
using Xunit.Abstractions;

namespace FaceObject.Tracking.Tests;

public sealed class ObjectTrackerTests(ITestOutputHelper output)
{
    private static readonly TrackerOptions Options = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Update_FollowsTheSceneWithMotaAndIdf1AtLeast095_FromNoisyBoxesWithTenPercentMissed(int seed)
    {
        var random = new Random(seed);
        var tracker = new ObjectTracker(Options);
        var hypotheses = new List<MotBox>();
        for (var frame = 0; frame < SyntheticScene.Frames; frame++)
        {
            var update = tracker.Update(SyntheticScene.Detections(frame, random, noise: 2, missRate: 0.1), TimeSpan.FromSeconds(frame / SyntheticScene.Fps));
            hypotheses.AddRange(update.Tracked.Concat(update.Coasting).Select(t => new MotBox(frame + 1, t.TrackId, t.Detection.Bbox)));
        }

        var metrics = MotEvaluator.Evaluate(SyntheticScene.Truth(), hypotheses);
        output.WriteLine($"seed {seed}: {metrics}");

        metrics.Mota.Should().BeGreaterThanOrEqualTo(0.95);
        metrics.Idf1.Should().BeGreaterThanOrEqualTo(0.95);
    }

    [Fact]
    public void Events_AreOneNewAndOneEndPerTrueObject()
    {
        var random = new Random(7);
        var tracker = new ObjectTracker(Options);
        var events = new List<TrackEvent>();
        for (var frame = 0; frame < SyntheticScene.Frames; frame++)
        {
            events.AddRange(tracker.Update(SyntheticScene.Detections(frame, random, noise: 2, missRate: 0.1), TimeSpan.FromSeconds(frame / SyntheticScene.Fps)).Events);
        }

        events.AddRange(tracker.Finish(TimeSpan.FromSeconds(SyntheticScene.Frames / SyntheticScene.Fps)));

        events.Count(e => e.Kind == TrackEventKind.New).Should().Be(SyntheticScene.TrueObjects);
        events.Count(e => e.Kind == TrackEventKind.End).Should().Be(SyntheticScene.TrueObjects);
        events.Where(e => e.Kind == TrackEventKind.End).Select(e => e.TrackId).Should().BeEquivalentTo(events.Where(e => e.Kind == TrackEventKind.New).Select(e => e.TrackId));
        tracker.StableCounts.Should().BeEquivalentTo(new Dictionary<string, int> { ["person"] = 4, ["dog"] = 1, ["horse"] = 1 });
    }

    [Fact]
    public void Update_RaisesNoEvent_ForAOneFrameFalsePositive()
    {
        var tracker = new ObjectTracker(Options);
        var events = new List<TrackEvent>();
        var person = new Detection(0, "person", 0.9f, new BoundingBox(100, 100, 160, 250));
        for (var frame = 0; frame < 20; frame++)
        {
            IReadOnlyList<Detection> detections = frame == 10
                ? [person, new Detection(2, "car", 0.95f, new BoundingBox(400, 200, 500, 260))]
                : [person];
            events.AddRange(tracker.Update(detections, TimeSpan.FromSeconds(frame * 0.2)).Events);
        }

        events.AddRange(tracker.Finish(TimeSpan.FromSeconds(4)));

        events.Should().OnlyContain(e => e.ClassName == "person");
        events.Select(e => e.Kind).Should().Contain(TrackEventKind.New).And.Contain(TrackEventKind.End);
        tracker.StableCounts.Should().NotContainKey("car");
    }

    [Fact]
    public void Update_JoinsAnotherClassOnlyWithALargeOverlap_AndNamesTheTrackByItsMostConfidentClass()
    {
        var tracker = new ObjectTracker(Options);
        var horse = new Detection(17, "horse", 0.8f, new BoundingBox(100, 100, 200, 200));
        var id = tracker.Update([horse], TimeSpan.Zero).Tracked.Single().TrackId;
        tracker.Update([horse], TimeSpan.FromSeconds(0.2));

        var flipped = tracker.Update([horse with { ClassId = 18, ClassName = "sheep", Confidence = 0.7f }], TimeSpan.FromSeconds(0.4)).Tracked.Single();
        var dogBeside = tracker.Update([new Detection(16, "dog", 0.9f, new BoundingBox(150, 100, 250, 200))], TimeSpan.FromSeconds(0.6)).Tracked.Single();

        flipped.TrackId.Should().Be(id, "the same box flipping to a near class is the same object");
        flipped.Detection.ClassName.Should().Be("horse", "horse has the larger summed score");
        dogBeside.TrackId.Should().NotBe(id, "IoU 0.33 is enough to follow a horse, not to turn it into a dog");
    }

    [Fact]
    public void Update_FollowsOneObjectNamedTwiceInOneFrame_AsOneTrack()
    {
        var tracker = new ObjectTracker(Options);
        var dog = new Detection(16, "dog", 0.7f, new BoundingBox(100, 100, 200, 200));
        var cat = new Detection(15, "cat", 0.65f, new BoundingBox(102, 101, 201, 199));
        var separate = new Detection(15, "cat", 0.9f, new BoundingBox(300, 100, 400, 200));

        var tracked = tracker.Update([cat, dog, separate], TimeSpan.Zero).Tracked;

        tracked.Should().HaveCount(2);
        tracked.Select(t => t.Detection).Should().Contain(dog with { TrackId = tracked.Single(t => t.Detection.ClassName == "dog").TrackId });
    }

    [Fact]
    public void Update_KeepsTheIdThroughAShortGap_AndGivesANewOneAfterTheBuffer()
    {
        var tracker = new ObjectTracker(Options with { LostTrackBuffer = TimeSpan.FromSeconds(1) });
        var person = new Detection(0, "person", 0.9f, new BoundingBox(100, 100, 160, 250));
        var id = 0;
        for (var frame = 0; frame < 5; frame++)
        {
            id = tracker.Update([person], TimeSpan.FromSeconds(frame * 0.2)).Tracked.Single().TrackId;
        }

        tracker.Update([], TimeSpan.FromSeconds(1.0));
        tracker.Update([], TimeSpan.FromSeconds(1.2));
        var afterShortGap = tracker.Update([person], TimeSpan.FromSeconds(1.4)).Tracked.Single().TrackId;
        for (var t = 1.6; t < 3.2; t += 0.2)
        {
            tracker.Update([], TimeSpan.FromSeconds(t));
        }

        var afterLongGap = tracker.Update([person], TimeSpan.FromSeconds(3.2)).Tracked.Single().TrackId;

        afterShortGap.Should().Be(id);
        afterLongGap.Should().NotBe(id);
    }
}

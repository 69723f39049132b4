using FaceObject.Core.Results;
using FaceObject.Inference.Postprocessing;

namespace FaceObject.Inference.Tests.Postprocessing;

public sealed class NonMaxSuppressionTests
{
    private static readonly BoundingBox Box = new(0, 0, 100, 100);

    // IoU with Box: intersection 90x100, union 10000 + 10000 - 9000 = 11000 -> 0.818.
    private static readonly BoundingBox Shifted = new(10, 0, 110, 100);

    private static readonly BoundingBox FarAway = new(500, 500, 600, 600);

    [Fact]
    public void Apply_SuppressesLowerScore_WhenSameClassOverlaps()
    {
        var kept = NonMaxSuppression.Apply([new(1, 0.6f, Shifted), new(1, 0.9f, Box)], 0.45f);

        kept.Should().Equal(new Candidate(1, 0.9f, Box));
    }

    [Fact]
    public void Apply_KeepsBoth_WhenOverlappingBoxesHaveDifferentClasses()
    {
        var kept = NonMaxSuppression.Apply([new(1, 0.9f, Box), new(2, 0.8f, Shifted)], 0.45f);

        kept.Should().HaveCount(2);
    }

    [Fact]
    public void Apply_KeepsBoth_WhenSameClassDoesNotOverlapEnough()
    {
        var kept = NonMaxSuppression.Apply([new(0, 0.9f, Box), new(0, 0.8f, FarAway)], 0.3f);

        kept.Should().HaveCount(2);
    }

    [Fact]
    public void Apply_KeepsBox_WhenIoUEqualsThreshold()
    {
        var iou = Box.IoU(Shifted);

        NonMaxSuppression.Apply([new(0, 0.9f, Box), new(0, 0.8f, Shifted)], iou).Should().HaveCount(2);
    }

    [Fact]
    public void Apply_OrdersByConfidence_WhenInputIsUnordered()
    {
        List<Candidate> candidates = [new(3, 0.4f, FarAway), new(1, 0.95f, Box), new(2, 0.7f, Shifted), new(1, 0.5f, new(300, 0, 350, 50))];

        var kept = NonMaxSuppression.Apply(candidates, 0.45f);

        kept.Select(c => c.Score).Should().Equal(0.95f, 0.7f, 0.5f, 0.4f);
    }

    [Fact]
    public void Apply_KeepsBoxOverlappingOnlySuppressedOne_WhenGreedy()
    {
        // B is suppressed by A; C overlaps B a lot but A not at all, so C stays.
        var a = new BoundingBox(0, 0, 100, 100);
        var b = new BoundingBox(50, 0, 150, 100);
        var c = new BoundingBox(100, 0, 200, 100);

        var kept = NonMaxSuppression.Apply([new(0, 0.9f, a), new(0, 0.8f, b), new(0, 0.7f, c)], 0.3f);

        kept.Select(k => k.Box).Should().Equal(a, c);
    }

    [Fact]
    public void Apply_DropsEmptyBoxes_WhenClippingCollapsedThem()
    {
        var kept = NonMaxSuppression.Apply([new(0, 0.9f, new(50, 50, 50, 80)), new(0, 0.8f, Box)], 0.45f);

        kept.Should().Equal(new Candidate(0, 0.8f, Box));
    }

    [Fact]
    public void Apply_KeepsAtMostMaxCandidates_WhenThresholdLetsEverythingThrough()
    {
        var many = Enumerable.Range(0, NonMaxSuppression.MaxCandidates + 500)
            .Select(i => new Candidate(0, i / 10_000f, new BoundingBox(i * 10, 0, (i * 10) + 5, 5)))
            .ToList();

        var kept = NonMaxSuppression.Apply(many, 0.5f);

        kept.Should().HaveCount(NonMaxSuppression.MaxCandidates);
        kept[^1].Score.Should().Be(500 / 10_000f, "the lowest-scoring candidates are the ones left out");
    }
}

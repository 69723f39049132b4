using FaceObject.Core.Results;
using FaceObject.Testing.Mot;

namespace FaceObject.Tracking.Tests;

public sealed class MotEvaluatorTests
{
    [Fact]
    public void Evaluate_GivesOne_WhenTheHypothesesAreTheTruth()
    {
        var truth = Walk(1, 0, 10).Concat(Walk(2, 200, 10)).ToList();

        var metrics = MotEvaluator.Evaluate(truth, truth);

        metrics.Mota.Should().Be(1);
        metrics.Idf1.Should().Be(1);
        metrics.IdSwitches.Should().Be(0);
    }

    [Fact]
    public void Evaluate_CountsTwoSwitchesAndHalvesIdf1_WhenTwoIdsSwapHalfway()
    {
        var truth = Walk(1, 0, 10).Concat(Walk(2, 200, 10)).ToList();
        var swapped = truth.Select(b => b.Frame > 5 ? b with { Id = 3 - b.Id } : b).ToList();

        var metrics = MotEvaluator.Evaluate(truth, swapped);

        metrics.IdSwitches.Should().Be(2);
        metrics.Mota.Should().BeApproximately(1 - 2.0 / 20, 1e-9);
        metrics.Idf1.Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void Evaluate_CountsMissesAndFalsePositives()
    {
        var truth = Walk(1, 0, 10).ToList();
        var hypotheses = truth.Where(b => b.Frame is not (3 or 4))
            .Concat([new MotBox(1, 9, new BoundingBox(400, 10, 450, 60)), new MotBox(2, 9, new BoundingBox(400, 10, 450, 60)), new MotBox(7, 8, new BoundingBox(500, 10, 550, 60))])
            .ToList();

        var metrics = MotEvaluator.Evaluate(truth, hypotheses);

        metrics.FalseNegatives.Should().Be(2);
        metrics.FalsePositives.Should().Be(3);
        metrics.Mota.Should().BeApproximately(1 - 5.0 / 10, 1e-9);

        // Object 1 matches hypothesis 1 in 8 frames: 2 * 8 / (10 + 11).
        metrics.Idf1.Should().BeApproximately(16.0 / 21, 1e-9);
    }

    [Fact]
    public void MotFile_RoundTripsRows()
    {
        var path = Path.GetTempFileName();
        try
        {
            var boxes = new[] { new MotBox(1, 4, new BoundingBox(10, 20, 60, 120), 0, 0.5f), new MotBox(2, 4, new BoundingBox(12, 20, 62, 120), 0, 1) };

            MotFile.Write(path, boxes);

            MotFile.Read(path).Should().Equal(boxes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IEnumerable<MotBox> Walk(int id, float y, int frames) =>
        Enumerable.Range(1, frames).Select(f => new MotBox(f, id, new BoundingBox(f * 10, y, f * 10 + 50, y + 100)));
}

using FaceObject.Core.Results;

namespace FaceObject.Tracking.Tests;

public sealed class KalmanBoxFilterTests
{
    [Fact]
    public void Predict_ContinuesAConstantVelocity_OnceItHasSeenTheMotion()
    {
        var filter = new KalmanBoxFilter(Box(0));
        for (var step = 1; step <= 15; step++)
        {
            filter.Predict(holdSize: false);
            filter.Update(Box(step * 10));
        }

        filter.Predict(holdSize: false);

        var predicted = filter.Box;
        ((predicted.X1 + predicted.X2) / 2).Should().BeApproximately(160 + 25, 2);
        predicted.Height.Should().BeApproximately(100, 2);
    }

    [Fact]
    public void Update_PullsTheEstimateTowardsTheMeasurement()
    {
        var filter = new KalmanBoxFilter(Box(0));
        filter.Predict(holdSize: false);

        filter.Update(Box(20));

        var centre = (filter.Box.X1 + filter.Box.X2) / 2;
        centre.Should().BeGreaterThan(25).And.BeLessThanOrEqualTo(45.5f);
    }

    private static BoundingBox Box(float x) => new(x, 50, x + 50, 150);
}

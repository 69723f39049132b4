namespace FaceObject.Tracking.Tests;

public sealed class LinearAssignmentTests
{
    [Fact]
    public void Solve_FindsTheMinimumTotalCost_NotTheGreedyOne()
    {
        // Greedy would take (0,0) at 0.1 and be left with (1,1) at 0.9; the optimum is 0.2 + 0.3.
        double[,] cost = { { 0.1, 0.2 }, { 0.3, 0.9 } };

        LinearAssignment.Solve(cost, 1).Should().BeEquivalentTo([(0, 1), (1, 0)]);
    }

    [Fact]
    public void Solve_LeavesPairsOverTheLimitUnmatched_InRectangularProblems()
    {
        double[,] cost = { { 0.9, 0.1, 0.95 }, { 0.99, 0.97, 0.96 } };

        LinearAssignment.Solve(cost, 0.8).Should().Equal((0, 1));
    }
}

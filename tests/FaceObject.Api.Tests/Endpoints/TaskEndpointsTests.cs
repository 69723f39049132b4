using FaceObject.Api.Endpoints;

namespace FaceObject.Api.Tests.Endpoints;

public sealed class TaskEndpointsTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("5s", 5000)]
    [InlineData("5", 5000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    public void TryParseWait_ParsesDurations(string? text, double expectedMs)
    {
        TaskEndpoints.TryParseWait(text, out var wait).Should().BeTrue();

        wait.TotalMilliseconds.Should().Be(expectedMs);
    }

    [Theory]
    [InlineData("-1s")]
    [InlineData("soon")]
    [InlineData("61s")]
    public void TryParseWait_Refuses_WhenNotADurationOrTooLong(string text) =>
        TaskEndpoints.TryParseWait(text, out _).Should().BeFalse();
}

using FaceObject.Api.Submissions;
using Microsoft.AspNetCore.Http;

namespace FaceObject.Api.Tests.Submissions;

public sealed class IdempotencyKeyTests
{
    private static HttpRequest With(params string[] values)
    {
        var context = new DefaultHttpContext();
        if (values.Length > 0)
        {
            context.Request.Headers[IdempotencyKey.Header] = values;
        }

        return context.Request;
    }

    [Fact]
    public void TryRead_GivesNoKey_WhenHeaderIsAbsent()
    {
        IdempotencyKey.TryRead(With(), out var key, out _).Should().BeTrue();

        key.Should().BeNull();
    }

    [Theory]
    [InlineData("8e0f2c6a-5d1b-4f3e-9a77-0c1d2e3f4a5b", "8e0f2c6a-5d1b-4f3e-9a77-0c1d2e3f4a5b")]
    [InlineData("\"order-42\"", "order-42")]
    [InlineData("  spaced  ", "spaced")]
    public void TryRead_AcceptsVisibleAscii_WithOrWithoutQuotes(string header, string expected)
    {
        IdempotencyKey.TryRead(With(header), out var key, out _).Should().BeTrue();

        key.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcödé")]
    public void TryRead_Refuses_WhenKeyIsEmptyOrNotVisibleAscii(string header)
    {
        IdempotencyKey.TryRead(With(header), out _, out var error).Should().BeFalse();

        error.Should().Contain(IdempotencyKey.Header);
    }

    [Fact]
    public void TryRead_Refuses_WhenKeyIsLongerThan255()
    {
        IdempotencyKey.TryRead(With(new string('k', 256)), out _, out var error).Should().BeFalse();

        error.Should().Contain("255");
    }

    [Fact]
    public void TryRead_Refuses_WhenSentTwice()
    {
        IdempotencyKey.TryRead(With("a", "b"), out _, out var error).Should().BeFalse();

        error.Should().Contain("one");
    }
}

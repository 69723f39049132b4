using FaceObject.Api.Submissions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FaceObject.Api.Tests.Submissions;

public sealed class DetectionOptionsReaderTests
{
    [Fact]
    public void TryRead_ReadsFormFields_WhenPresent()
    {
        var form = Form(("annotate", "true"), ("blur", "1"), ("score_threshold", "0.45"), ("callback_url", "https://example.com/hook"), ("blur_classes", "person, car"));

        DetectionOptionsReader.TryRead(form, QueryCollection.Empty, out var options, out _).Should().BeTrue();

        options.Annotate.Should().BeTrue();
        options.Blur.Should().BeTrue();
        options.ScoreThreshold.Should().Be(0.45f);
        options.CallbackUrl.Should().Be("https://example.com/hook");
        options.BlurClasses.Should().Equal("person", "car");
    }

    [Fact]
    public void TryRead_FallsBackToQuery_WhenFormLacksTheField()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues> { ["annotate"] = "yes" });

        DetectionOptionsReader.TryRead(Form(), query, out var options, out _).Should().BeTrue();

        options.Annotate.Should().BeTrue();
    }

    [Fact]
    public void TryRead_TurnsBlurOn_WhenOnlyBlurClassesAreGiven()
    {
        DetectionOptionsReader.TryRead(Form(("blur_classes", "car")), QueryCollection.Empty, out var options, out _).Should().BeTrue();

        options.Blur.Should().BeTrue();
        options.BlurClasses.Should().Equal("car");
    }

    [Fact]
    public void TryRead_Fails_WhenBlurClassesComeWithBlurFalse()
    {
        DetectionOptionsReader.TryRead(Form(("blur", "false"), ("blur_classes", "car")), QueryCollection.Empty, out _, out var error).Should().BeFalse();

        error.Should().Contain("blur_classes").And.Contain("blur=true");
    }

    [Theory]
    [InlineData("score_threshold", "1.5", "from 0 to 1")]
    [InlineData("score_threshold", "abc", "from 0 to 1")]
    [InlineData("annotate", "maybe", "true or false")]
    [InlineData("callback_url", "ftp://example.com/x", "http or https")]
    [InlineData("callback_url", "not a url", "http or https")]
    public void TryRead_ExplainsWhatIsAccepted_WhenValueIsInvalid(string field, string value, string expected)
    {
        DetectionOptionsReader.TryRead(Form((field, value)), QueryCollection.Empty, out _, out var error).Should().BeFalse();

        error.Should().Contain(field).And.Contain(expected);
    }

    [Fact]
    public void TryRead_RefusesAHugeTextField_WhateverItsName()
    {
        var form = Form(("note", new string('x', DetectionOptionsReader.MaxFieldLength + 1)));

        DetectionOptionsReader.TryRead(form, QueryCollection.Empty, out _, out var error).Should().BeFalse();

        error.Should().Contain("'note'").And.Contain("8,192").And.Contain("'file'");
    }

    private static FormCollection Form(params (string Key, string Value)[] fields) =>
        new(fields.ToDictionary(f => f.Key, f => new StringValues(f.Value)));
}

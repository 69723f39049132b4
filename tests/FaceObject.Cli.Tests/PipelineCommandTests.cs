namespace FaceObject.Cli.Tests;

/// <summary><c>faceobject pipeline NAME ...</c>: seed 002's <c>submit_job.py --pipeline</c>, over HTTP or a broker.</summary>
public sealed class PipelineCommandTests
{
    [Fact]
    public async Task Parse_BindsThePipelineItsInputsAndTransport()
    {
        var run = await CliRun.RunAsync("pipeline", "blur-and-detect", "team.jpg", "--url", "https://example.com/a.jpg", "--callback-url", "https://hooks.example.com/x",
            "--via", "amqp", "--broker", "amqp://guest@localhost:5672/", "--wait");

        run.ExitCode.Should().Be(CliRun.DetectExitCode, run.ToString());
        run.Parsed.RunsPipeline.Should().BeTrue();
        run.Parsed.Model.Should().Be("blur-and-detect");
        run.Parsed.Paths.Should().Equal("team.jpg");
        run.Parsed.Urls.Should().Equal("https://example.com/a.jpg");
        run.Option("callback_url").Should().Be("https://hooks.example.com/x");
        run.Parsed.Via.Should().Be("amqp");
        run.Parsed.Wait.Should().BeTrue();
        ApiClient.SubmitPath(run.Parsed, "image").Should().Be("/api/pipelines/blur-and-detect/image");
    }

    [Fact]
    public async Task Detect_StillNamesAModel()
    {
        var run = await CliRun.RunAsync("detect", "object", "dog.jpg");

        run.Parsed.RunsPipeline.Should().BeFalse();
        ApiClient.SubmitPath(run.Parsed, "video").Should().Be("/api/detect/object/video");
    }

    [Theory]
    [InlineData(new[] { "--annotate" }, "Unknown option '--annotate'")]
    [InlineData(new[] { "--score-threshold", "0.5" }, "--score-threshold")]
    [InlineData(new[] { "--video", "clip.mp4" }, "--video")]
    public async Task Parse_IsUsageError_ForADetectOptionThePipelineDefinitionSets(string[] options, string message)
    {
        var run = await CliRun.RunAsync(["pipeline", "blur-and-detect", "team.jpg", .. options]);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Arguments.Should().BeNull("nothing is sent on a usage error");
        run.Errors.Should().Contain(message);
    }

    [Fact]
    public async Task Parse_IsUsageError_WithNothingToRunOn()
    {
        var run = await CliRun.RunAsync("pipeline", "blur-and-detect");

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Errors.Should().Contain("Nothing to run the pipeline on");
    }

    [Fact]
    public async Task Help_ForThePipelineCommand_ListsItsOptionsOnly()
    {
        var run = await CliRun.RunAsync("pipeline", "--help");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("<pipeline>").And.Contain("--callback-url").And.Contain("--via");
        run.Output.Should().NotContain("--score-threshold <0-1>", "only the examples below the options mention it");
    }
}

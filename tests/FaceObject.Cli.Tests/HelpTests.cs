namespace FaceObject.Cli.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("help")]
    [InlineData("detect", "--help")]
    [InlineData("detect", "object", "a.jpg", "-h")]
    [InlineData("detect", "object", "a.jpg", "--frobnicate", "--score-threshold", "9", "--help")]
    public async Task Run_PrintsDetectHelpAndExits0_WhenHelpIsAsked(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        run.ExitCode.Should().Be(ExitCodes.Ok, run.ToString());
        run.Arguments.Should().BeNull("help sends nothing");
        run.Errors.Should().BeEmpty();
        run.Output.Should().Contain("detect <model> [<inputs>...] [options]");
        foreach (var option in new[] { "--url <URL>", "--video <file>", "--wait", "--json", "--server <URL>", "--api-key <key>", "--score-threshold <0-1>",
            "--annotate", "--blur", "--blur-classes <a,b>", "--callback-url <URL>", "--sample-fps <n>", "--max-frames <n>", "-h, --help" })
        {
            run.Output.Should().Contain(option);
        }
    }

    [Fact]
    public async Task Run_DocumentsExitCodesAndEnvironment_WhenHelpIsAsked()
    {
        var run = await CliRun.RunAsync("--help");

        run.Output.Should().Contain("Exit codes:").And.Contain("2  usage error: nothing was sent").And.Contain("4  the server refused")
            .And.Contain("FACEOBJECT_SERVER").And.Contain("FACEOBJECT_API_KEY").And.Contain("http://localhost:8080");
    }

    [Fact]
    public async Task Run_DoesNotPrintTheApiKey_WhenKeyComesFromEnvironment()
    {
        var environment = new Dictionary<string, string> { ["FACEOBJECT_API_KEY"] = "s3cret-key-value" };

        var run = await CliRun.RunAsync(environment, "detect", "--help");

        run.Output.Should().Contain("--api-key").And.NotContain("s3cret-key-value");
    }
}

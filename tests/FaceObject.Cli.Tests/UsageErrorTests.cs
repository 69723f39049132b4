namespace FaceObject.Cli.Tests;

/// <summary>Command lines that must stop before anything is sent: exit code 2, the reason and a pointer to --help on stderr.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("Unknown option '--frobnicate'", "detect", "object", "dog.jpg", "--frobnicate")]
    [InlineData("Unknown option '--frob=1'", "detect", "object", "--frob=1", "dog.jpg")]
    [InlineData("Unknown option '-x'", "detect", "object", "-x", "dog.jpg")]
    [InlineData("Unknown option '--score_threshold'", "detect", "object", "dog.jpg", "--score_threshold")]
    [InlineData("Unrecognized command or argument 'classify'", "classify", "object", "dog.jpg")]
    [InlineData("Unrecognized command or argument '--wait'", "--wait")]
    public async Task Run_Exits2NamingTheWord_WhenCommandOrOptionIsUnknown(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        AssertUsageError(run, message);
    }

    [Theory]
    [InlineData("Required argument 'model' missing", "detect")]
    [InlineData("Required argument 'model' missing", "detect", "--wait")]
    [InlineData("Nothing to detect", "detect", "object")]
    [InlineData("Nothing to detect", "detect", "object", "--wait", "--json")]
    [InlineData("Required argument missing for option: '--server'", "detect", "object", "a.jpg", "--server")]
    [InlineData("Required argument missing for option: '--api-key'", "detect", "object", "a.jpg", "--api-key")]
    [InlineData("Required argument missing for option: '--url'", "detect", "object", "--url")]
    [InlineData("Required argument missing for option: '--video'", "detect", "object", "--video")]
    [InlineData("Required argument missing for option: '--score-threshold'", "detect", "object", "a.jpg", "--score-threshold")]
    [InlineData("Required argument missing for option: '--sample-fps'", "detect", "object", "--video", "v.mp4", "--sample-fps")]
    [InlineData("Required argument missing for option: '--max-frames'", "detect", "object", "--video", "v.mp4", "--max-frames")]
    [InlineData("Required argument missing for option: '--blur-classes'", "detect", "object", "a.jpg", "--blur-classes")]
    [InlineData("Required argument missing for option: '--callback-url'", "detect", "object", "a.jpg", "--callback-url")]
    [InlineData("--api-key needs a value", "detect", "object", "a.jpg", "--api-key", "")]
    [InlineData("--server needs a value", "detect", "object", "a.jpg", "--server", " ")]
    [InlineData("--video needs a value", "detect", "object", "--video", "")]
    public async Task Run_Exits2_WhenAnArgumentIsMissing(string message, params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        AssertUsageError(run, message);
    }

    [Theory]
    [InlineData("--score-threshold", "-0.1", "--score-threshold must be a number from 0 to 1; got '-0.1'.")]
    [InlineData("--score-threshold", "1.01", "--score-threshold must be a number from 0 to 1; got '1.01'.")]
    [InlineData("--score-threshold", "NaN", "--score-threshold must be a number from 0 to 1; got 'NaN'.")]
    [InlineData("--score-threshold", "half", "--score-threshold must be a number from 0 to 1; got 'half'.")]
    [InlineData("--score-threshold", "0,5", "--score-threshold must be a number from 0 to 1; got '0,5'.")]
    [InlineData("--sample-fps", "0", "--sample-fps must be a number above 0 and at most 30; got '0'.")]
    [InlineData("--sample-fps", "-2", "--sample-fps must be a number above 0 and at most 30; got '-2'.")]
    [InlineData("--sample-fps", "30.5", "--sample-fps must be a number above 0 and at most 30; got '30.5'.")]
    [InlineData("--sample-fps", "Infinity", "--sample-fps must be a number above 0 and at most 30; got 'Infinity'.")]
    [InlineData("--max-frames", "0", "--max-frames must be a whole number from 1; got '0'.")]
    [InlineData("--max-frames", "-5", "--max-frames must be a whole number from 1; got '-5'.")]
    [InlineData("--max-frames", "2.5", "--max-frames must be a whole number from 1; got '2.5'.")]
    [InlineData("--max-frames", "99999999999", "--max-frames must be a whole number from 1; got '99999999999'.")]
    public async Task Run_Exits2NamingTheRange_WhenNumberIsOutOfRange(string option, string value, string message)
    {
        var spaced = await CliRun.RunAsync("detect", "object", "--video", "v.mp4", option, value);
        var joined = await CliRun.RunAsync("detect", "object", "--video", "v.mp4", $"{option}={value}");

        AssertUsageError(spaced, message);
        AssertUsageError(joined, message);
    }

    [Theory]
    [InlineData("--server", "ftp://files.example.com", "--server (or FACEOBJECT_SERVER) must be an http or https URL such as http://localhost:8080; got 'ftp://files.example.com'.")]
    [InlineData("--server", "localhost:8080", "--server (or FACEOBJECT_SERVER) must be an http or https URL")]
    [InlineData("--url", "dog.jpg", "--url must be an absolute http or https URL; got 'dog.jpg'.")]
    [InlineData("--url", "file:///etc/passwd", "--url must be an absolute http or https URL; got 'file:///etc/passwd'.")]
    [InlineData("--callback-url", "hooks.example.com/x", "--callback-url must be an absolute http or https URL; got 'hooks.example.com/x'.")]
    public async Task Run_Exits2_WhenUrlIsNotHttp(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", option, value);

        AssertUsageError(run, message);
    }

    [Theory]
    [InlineData("a.jpg")]
    [InlineData("--url", "https://example.com/a.jpg")]
    [InlineData("--video", "clip.mp4")]
    public async Task Run_Exits2_WhenEnvironmentServerIsNotHttp(params string[] inputs)
    {
        var environment = new Dictionary<string, string> { ["FACEOBJECT_SERVER"] = "tcp://10.0.0.1" };

        var run = await CliRun.RunAsync(environment, ["detect", "object", .. inputs]);

        AssertUsageError(run, "got 'tcp://10.0.0.1'");
    }

    [Fact]
    public async Task Run_Exits2_WhenBlurClassesContradictBlurFalse()
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", "--blur=false", "--blur-classes", "person");

        AssertUsageError(run, "--blur-classes asks for blurring but --blur is false");
    }

    [Fact]
    public async Task Run_Exits2_WhenSingleValueOptionIsRepeated()
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", "--api-key", "one", "--api-key", "two");

        AssertUsageError(run, "'--api-key' expects a single argument but 2 were provided");
    }

    [Fact]
    public async Task Run_ReportsEveryProblem_WhenThereAreSeveral()
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", "--score-threshold", "7", "--max-frames", "0", "--frobnicate");

        AssertUsageError(run, "--score-threshold must be");
        run.Errors.Should().Contain("--max-frames must be").And.Contain("Unknown option '--frobnicate'");
    }

    private static void AssertUsageError(CliRun run, string message)
    {
        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Arguments.Should().BeNull("nothing is sent after a usage error");
        run.Output.Should().BeEmpty();
        run.Errors.Should().StartWith("faceobject: ").And.Contain(message).And.EndWith("Run 'faceobject --help' for usage and exit codes." + Environment.NewLine);
    }
}

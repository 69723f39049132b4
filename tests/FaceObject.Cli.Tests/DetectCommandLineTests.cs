namespace FaceObject.Cli.Tests;

public sealed class DetectCommandLineTests
{
    [Fact]
    public async Task Parse_GivesDefaults_WhenOnlyModelAndImageAreGiven()
    {
        var run = await CliRun.RunAsync("detect", "object", "dog.jpg");

        run.ExitCode.Should().Be(CliRun.DetectExitCode, run.ToString());
        run.Parsed.Should().BeEquivalentTo(new CliArguments
        {
            Model = "object",
            Paths = ["dog.jpg"],
            Server = "http://localhost:8080",
        });
        run.Parsed.ApiKey.Should().BeNull();
        run.Parsed.Options.Should().BeEmpty("no server-side option was given, so the server's defaults apply");
    }

    [Fact]
    public async Task Parse_KeepsInputsInOrder_WhenImagesUrlsAndVideosAreMixed()
    {
        var run = await CliRun.RunAsync(
            "detect", "face", "a.jpg", "--url", "https://example.com/1.jpg", "./folder", "--video", "clip.mp4", "--url", "http://example.com/2.png", "b.png", "--video", "other.webm");

        run.Parsed.Model.Should().Be("face");
        run.Parsed.Paths.Should().Equal("a.jpg", "./folder", "b.png");
        run.Parsed.Urls.Should().Equal("https://example.com/1.jpg", "http://example.com/2.png");
        run.Parsed.Videos.Should().Equal("clip.mp4", "other.webm");
    }

    [Fact]
    public async Task Parse_AcceptsOnlyAUrl_WhenNoFileIsGiven()
    {
        var run = await CliRun.RunAsync("detect", "object", "--url", "https://example.com/dog.jpg");

        run.Parsed.Paths.Should().BeEmpty();
        run.Parsed.Urls.Should().Equal("https://example.com/dog.jpg");
    }

    [Fact]
    public async Task Parse_TakesAnInputStartingWithDash_WhenItFollowsDoubleDash()
    {
        var run = await CliRun.RunAsync("detect", "object", "--wait", "--", "-odd.jpg", "--odder.jpg");

        run.Parsed.Paths.Should().Equal("-odd.jpg", "--odder.jpg");
        run.Parsed.Wait.Should().BeTrue();
    }

    [Fact]
    public async Task Parse_TakesAnAtSignAsPartOfAFileName_WhenAnInputStartsWithIt()
    {
        var run = await CliRun.RunAsync("detect", "object", "@photo.jpg");

        run.Parsed.Paths.Should().Equal("@photo.jpg");
    }

    [Theory]
    [InlineData("--server", "http://10.0.0.5:9000", "http://10.0.0.5:9000")]
    [InlineData("--server", "https://faces.example.com/", "https://faces.example.com")]
    [InlineData("--server=http://localhost:5000//", null, "http://localhost:5000")]
    public async Task Parse_SetsServerWithoutTrailingSlash_WhenServerIsGiven(string option, string? value, string expected)
    {
        string[] args = value is null ? ["detect", "object", "a.jpg", option] : ["detect", "object", "a.jpg", option, value];

        var run = await CliRun.RunAsync(args);

        run.Parsed.Server.Should().Be(expected);
    }

    [Fact]
    public async Task Parse_TakesServerAndKeyFromEnvironment_WhenOptionsAreAbsent()
    {
        var environment = new Dictionary<string, string> { ["FACEOBJECT_SERVER"] = "http://env-server:8080/", ["FACEOBJECT_API_KEY"] = "env-key" };

        var run = await CliRun.RunAsync(environment, "detect", "object", "a.jpg");

        run.Parsed.Server.Should().Be("http://env-server:8080");
        run.Parsed.ApiKey.Should().Be("env-key");
    }

    [Fact]
    public async Task Parse_PrefersOptionsOverEnvironment_WhenBothAreGiven()
    {
        var environment = new Dictionary<string, string> { ["FACEOBJECT_SERVER"] = "http://env-server:8080", ["FACEOBJECT_API_KEY"] = "env-key" };

        var run = await CliRun.RunAsync(environment, "detect", "object", "a.jpg", "--server", "http://flag-server", "--api-key", "flag-key");

        run.Parsed.Server.Should().Be("http://flag-server");
        run.Parsed.ApiKey.Should().Be("flag-key");
    }

    [Fact]
    public async Task Parse_IgnoresEmptyEnvironment_WhenVariablesAreSetButEmpty()
    {
        var environment = new Dictionary<string, string> { ["FACEOBJECT_SERVER"] = "", ["FACEOBJECT_API_KEY"] = "" };

        var run = await CliRun.RunAsync(environment, "detect", "object", "a.jpg");

        run.Parsed.Server.Should().Be("http://localhost:8080");
        run.Parsed.ApiKey.Should().BeNull();
    }

    [Theory]
    [InlineData("--score-threshold", "0.35", "score_threshold", "0.35")]
    [InlineData("--score-threshold", "0", "score_threshold", "0")]
    [InlineData("--score-threshold", "1", "score_threshold", "1")]
    [InlineData("--sample-fps", "2.5", "sample_fps", "2.5")]
    [InlineData("--sample-fps", "30", "sample_fps", "30")]
    [InlineData("--sample-fps", "0.1", "sample_fps", "0.1")]
    [InlineData("--max-frames", "1", "max_frames", "1")]
    [InlineData("--max-frames", "10000", "max_frames", "10000")]
    [InlineData("--blur-classes", "person,car", "blur_classes", "person,car")]
    [InlineData("--callback-url", "https://hooks.example.com/x?a=1", "callback_url", "https://hooks.example.com/x?a=1")]
    public async Task Parse_PassesServerOptionAsQueryParameter_WhenOptionIsGiven(string option, string value, string parameter, string expected)
    {
        var spaced = await CliRun.RunAsync("detect", "object", "a.jpg", option, value);
        var joined = await CliRun.RunAsync("detect", "object", $"{option}={value}", "a.jpg");

        spaced.Option(parameter).Should().Be(expected, spaced.ToString());
        joined.Option(parameter).Should().Be(expected, joined.ToString());
        spaced.Parsed.Options.Should().ContainSingle("only the option given is passed on");
        spaced.Parsed.Paths.Should().Equal("a.jpg");
        joined.Parsed.Paths.Should().Equal("a.jpg");
    }

    [Fact]
    public async Task Parse_PassesEveryServerOption_WhenAllAreGiven()
    {
        var run = await CliRun.RunAsync(
            "detect", "object", "a.jpg", "--score-threshold", "0.5", "--annotate", "--blur", "--blur-classes", "person",
            "--callback-url", "http://hooks.example.com/x", "--sample-fps", "4", "--max-frames", "50");

        run.Parsed.Options.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["score_threshold"] = "0.5",
            ["annotate"] = "true",
            ["blur"] = "true",
            ["blur_classes"] = "person",
            ["callback_url"] = "http://hooks.example.com/x",
            ["sample_fps"] = "4",
            ["max_frames"] = "50",
        });
    }
}

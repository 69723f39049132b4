namespace FaceObject.Cli.Tests;

/// <summary>
/// Every boolean flag in every spelling a person would write. The hand-written parser this replaced read
/// <c>--annotate=false</c>, <c>--blur=false</c> and <c>--wait=false</c> as true.
/// </summary>
public sealed class BooleanFlagTests
{
    public static TheoryData<string, string[], bool> Spellings()
    {
        var data = new TheoryData<string, string[], bool>();
        foreach (var flag in new[] { "--wait", "--json", "--annotate", "--blur" })
        {
            data.Add(flag, [flag], true);
            data.Add(flag, [flag + "=true"], true);
            data.Add(flag, [flag + "=True"], true);
            data.Add(flag, [flag, "true"], true);
            data.Add(flag, [flag + ":true"], true);
            data.Add(flag, [flag + "=false"], false);
            data.Add(flag, [flag + "=FALSE"], false);
            data.Add(flag, [flag, "false"], false);
            data.Add(flag, [flag + ":false"], false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Parse_ReadsTheFlagAsWritten_WhenFlagIsSpelledAnyWay(string flag, string[] spelling, bool expected)
    {
        var run = await CliRun.RunAsync(["detect", "object", .. spelling, "a.jpg"]);

        run.ExitCode.Should().Be(CliRun.DetectExitCode, run.ToString());
        run.Parsed.Paths.Should().Equal(["a.jpg"], "a value after the flag is the flag's only when it is true or false");
        Value(run, flag).Should().Be(expected);
    }

    [Theory]
    [InlineData("--wait")]
    [InlineData("--json")]
    [InlineData("--annotate")]
    [InlineData("--blur")]
    public async Task Parse_IsFalse_WhenFlagIsAbsent(string flag)
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg");

        Value(run, flag).Should().BeFalse();
    }

    [Theory]
    [InlineData("--wait")]
    [InlineData("--json")]
    [InlineData("--annotate")]
    [InlineData("--blur")]
    public async Task Parse_TakesTheNextWordAsInput_WhenItIsNotTrueOrFalse(string flag)
    {
        var run = await CliRun.RunAsync("detect", "object", flag, "photo.jpg");

        run.Parsed.Paths.Should().Equal("photo.jpg");
        Value(run, flag).Should().BeTrue();
    }

    [Theory]
    [InlineData("--annotate=false", "annotate", "false")]
    [InlineData("--annotate", "annotate", "true")]
    [InlineData("--blur=false", "blur", "false")]
    [InlineData("--blur", "blur", "true")]
    public async Task Parse_SendsTheFlagsValue_WhenServerFlagIsGiven(string arg, string parameter, string expected)
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", arg);

        run.Parsed.Options.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, string>(parameter, expected));
    }

    [Theory]
    [InlineData("--wait=maybe", "--wait takes true or false; got 'maybe'.")]
    [InlineData("--json=1", "--json takes true or false; got '1'.")]
    [InlineData("--annotate=yes", "--annotate takes true or false; got 'yes'.")]
    [InlineData("--blur:no", "--blur takes true or false; got 'no'.")]
    [InlineData("--blur=", "--blur takes true or false; got ''.")]
    public async Task Parse_IsUsageError_WhenFlagIsGivenAValueThatIsNotTrueOrFalse(string arg, string message)
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg", arg);

        run.ExitCode.Should().Be(ExitCodes.Usage, run.ToString());
        run.Errors.Should().Contain(message);
        run.Arguments.Should().BeNull();
    }

    private static bool Value(CliRun run, string flag) => flag switch
    {
        "--wait" => run.Parsed.Wait,
        "--json" => run.Parsed.Json,
        "--annotate" or "--blur" => run.Option(flag[2..]) == "true",
        _ => throw new ArgumentOutOfRangeException(nameof(flag), flag, null),
    };
}

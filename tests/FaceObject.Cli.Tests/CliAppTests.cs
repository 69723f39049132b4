namespace FaceObject.Cli.Tests;

public sealed class CliAppTests
{
    [Fact]
    public async Task Run_ReturnsTheDetectRunsExitCode_WhenCommandLineIsValid()
    {
        var run = await CliRun.RunAsync("detect", "object", "a.jpg");

        run.ExitCode.Should().Be(CliRun.DetectExitCode);
        run.Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_PassesTheCancellationToken_WhenDetectRuns()
    {
        using var cancel = new CancellationTokenSource();
        var cancelledInside = false;

        await CliApp.RunAsync(["detect", "object", "a.jpg"], _ => null, TextWriter.Null, TextWriter.Null, async (_, token) =>
        {
            await cancel.CancelAsync();
            cancelledInside = token.IsCancellationRequested;
            return 0;
        }, cancel.Token);

        cancelledInside.Should().BeTrue("Ctrl+C in Program.cs must reach the HTTP calls");
    }

    [Fact]
    public async Task Run_Exits2WithoutContactingAServer_WhenImageFileDoesNotExist()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        // The real detect run: a missing file is found before any request, so no server is needed.
        var exitCode = await CliApp.RunAsync(
            ["detect", "object", Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.jpg"), "--server", "http://127.0.0.1:9"],
            _ => null, output, errors, CancellationToken.None);

        exitCode.Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("is neither a file nor a folder");
    }
}

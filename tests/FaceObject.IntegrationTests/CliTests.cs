using System.Diagnostics;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>The real <c>faceobject</c> CLI, run as a process against the real all-in-one host.</summary>
[Collection(InputsApiGroup.Name)]
public sealed class CliTests(InputsApiFixture fixture)
{
    [Fact]
    public async Task Detect_PrintsJsonWithDogAndExits0_WhenWaitingForDogJpg()
    {
        var run = await RunAsync("detect", "object", TestPaths.Image("dog.jpg"), "--wait", "--json", "--server", fixture.BaseUrl);

        run.ExitCode.Should().Be(0, run.ToString());
        var task = JsonNode.Parse(run.Output)!.AsObject();
        task["status"]!.GetValue<string>().Should().Be("completed");
        FaceObjectClient.ClassNames(task).Should().Contain("dog");
    }

    [Fact]
    public async Task Detect_PrintsTheQueuedTaskWithoutWaiting_WhenWaitIsFalse()
    {
        // The hand-written parser read --wait=false as --wait; the server must also take the explicit annotate=false.
        var run = await RunAsync("detect", "object", TestPaths.Image("dog.jpg"), "--wait=false", "--annotate=false", "--server", fixture.BaseUrl);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("dog.jpg: queued as task").And.NotContain("completed");
    }

    [Fact]
    public async Task Detect_PrintsTheVideoResultAndExits0_WhenWaitingForAVideo()
    {
        var run = await RunAsync("detect", "object", "--video", TestPaths.Video("slideshow.mp4"), "--sample-fps", "2", "--wait", "--json", "--server", fixture.BaseUrl);

        run.ExitCode.Should().Be(0, run.ToString());
        var task = JsonNode.Parse(run.Output)!.AsObject();
        task["kind"]!.GetValue<string>().Should().Be("video");
        task["status"]!.GetValue<string>().Should().Be("completed");
        task["result"]!["summary"]!["frames_processed"]!.GetValue<int>().Should().Be(12);
        task["result"]!["summary"]!["counts"]!["giraffe"]!.GetValue<int>().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Detect_PrintsTableAndExits0_WhenFolderAndUrlAreGiven()
    {
        var folder = Directory.CreateTempSubdirectory("faceobject-cli-").FullName;
        try
        {
            File.Copy(TestPaths.Image("eagle.jpg"), Path.Combine(folder, "eagle.jpg"));
            File.WriteAllText(Path.Combine(folder, "readme.txt"), "not an image, and not sent");

            var run = await RunAsync("detect", "object", folder, "--url", fixture.Site.BaseUrl + "/images/dog.jpg", "--wait", "--server", fixture.BaseUrl);

            run.ExitCode.Should().Be(0, run.ToString());
            run.Output.Should().Contain("eagle.jpg: completed").And.Contain("bird")
                .And.Contain("/images/dog.jpg: completed").And.Contain("dog").And.NotContain("readme.txt");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Detect_Exits4PrintingTheProblemDetail_WhenFileIsText()
    {
        var file = Path.Combine(Path.GetTempPath(), $"faceobject-cli-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "hello, I am a text file");
        try
        {
            var run = await RunAsync("detect", "object", file, "--wait", "--server", fixture.BaseUrl);

            run.ExitCode.Should().Be(4, run.ToString());
            run.Errors.Should().Contain("415").And.Contain("not a JPEG, PNG, WebP or BMP image");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Detect_Exits1_WhenTheTaskFails()
    {
        var run = await RunAsync("detect", "object", "--url", fixture.Site.BaseUrl + "/images/missing.jpg", "--wait", "--server", fixture.BaseUrl);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().Contain("failed").And.Contain("404");
    }

    [Fact]
    public async Task Detect_Exits3_WhenServerIsUnreachable()
    {
        var run = await RunAsync("detect", "object", TestPaths.Image("dog.jpg"), "--server", $"http://127.0.0.1:{FreePort.Next()}");

        run.ExitCode.Should().Be(3, run.ToString());
        run.Errors.Should().Contain("cannot reach the server");
    }

    [Theory]
    [InlineData("detect")]
    [InlineData("detect", "object")]
    [InlineData("detect", "object", "dog.jpg", "--frobnicate")]
    [InlineData("classify", "object", "dog.jpg")]
    public async Task Detect_Exits2_WhenCommandLineIsWrong(params string[] args)
    {
        var run = await RunAsync(args);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Errors.Should().Contain("faceobject --help");
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodes()
    {
        var run = await RunAsync("--help");

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("Exit codes").And.Contain("4  the server refused");
    }

    internal static async Task<CliRun> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ServiceProcess.HostBinary("FaceObject.Cli"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("FACEOBJECT_SERVER");
        info.Environment.Remove("FACEOBJECT_API_KEY");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"faceobject {string.Join(' ', args)} did not exit within 120 s.");
        }

        return new CliRun(process.ExitCode, await output, await errors);
    }

    internal sealed record CliRun(int ExitCode, string Output, string Errors)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}";
    }
}

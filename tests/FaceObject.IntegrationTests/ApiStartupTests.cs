using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>The enqueue-only API refuses a configuration it cannot serve, with one line that says how to fix it.</summary>
public sealed class ApiStartupTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public void Api_ExitsNamingBothFixes_WhenRedisIsNotConfigured()
    {
        var api = Start(ServiceProcess.SharedModelSettings());

        api.WaitForExit(ExitTimeout).Should().BeTrue(api.Output);
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("faceobject-api: cannot start:").And.Contain("ConnectionStrings:Redis")
            .And.Contain("scripts/run.sh").And.NotContain(" at ", "a configuration error is one line, not a stack trace");
    }

    [Fact]
    public void Api_ExitsNamingTheKeyAndTheRange_WhenAModelSettingIsOutOfRange()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = "127.0.0.1:1";
        settings["Models:object:ScoreThreshold"] = "3";

        var api = Start(settings);

        api.WaitForExit(ExitTimeout).Should().BeTrue(api.Output);
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("Models:object:ScoreThreshold must be between 0 and 1 (got 3)");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }

    private ServiceProcess Start(Dictionary<string, string?> settings)
    {
        var api = ServiceProcess.StartApi($"http://127.0.0.1:{FreePort.Next()}", settings);
        _processes.Add(api);
        return api;
    }
}

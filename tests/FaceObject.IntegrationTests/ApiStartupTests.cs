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

    [Fact]
    public void Api_ExitsNamingTheAcceptedForm_WhenRedisUrlIsNotARedisUrl()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["REDIS_URL"] = "http://:hunter2@cache:6379";

        var api = Start(settings);

        api.WaitForExit(ExitTimeout).Should().BeTrue(api.Output);
        api.ExitCode.Should().Be(2);
        api.Output.Should().Contain("faceobject-api: cannot start: REDIS_URL is not usable").And.Contain("redis://[[user]:password@]host[:port][/db]")
            .And.NotContain("hunter2", "the URL's password is never printed").And.NotContain(" at ", "one line, not a stack trace");
    }

    [Fact]
    public async Task Api_StoresTasksInTheUrlsDatabase_WhenOnlyRedisUrlIsGiven()
    {
        using var redis = new RedisServer();
        var settings = ServiceProcess.SharedModelSettings();
        settings["REDIS_URL"] = $"redis://127.0.0.1:{redis.Port}/3";
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, settings);
        _processes.Add(api);
        await api.WaitForHttpAsync($"{url}/livez", ExitTimeout);

        using var client = new FaceObjectClient(url);
        var taskId = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"));

        using var connection = redis.Connect();
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        server.Keys(3, $"*{taskId}*").Should().NotBeEmpty("the task is kept in database 3 that REDIS_URL names");
        server.Keys(0, $"*{taskId}*").Should().BeEmpty();
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

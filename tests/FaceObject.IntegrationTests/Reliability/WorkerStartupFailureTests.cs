namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A worker whose model cannot load must stop before its Hangfire server exists: a server that registered first
/// would take jobs it can only fail (or, killed later, leave fetched until the invisibility timeout).
/// </summary>
public sealed class WorkerStartupFailureTests : IDisposable
{
    private readonly ServiceCluster _cluster = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("faceobject-corrupt-model-");

    [Fact]
    public async Task Worker_ExitsNonZeroWithoutTakingAJob_WhenItsModelFileIsCorrupt()
    {
        var api = await _cluster.StartApiAsync();
        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("face", FaceObject.Testing.TestPaths.ImageBytes("faces_2.jpg"));
        var corrupt = Path.Combine(_folder.FullName, "version-RFB-640.onnx");
        var bytes = new byte[256 * 1024];
        new Random(6).NextBytes(bytes);
        await File.WriteAllBytesAsync(corrupt, bytes);

        var worker = _cluster.StartWorker("face", new Dictionary<string, string?> { ["Models:face:Path"] = corrupt });

        worker.WaitForExit(ServiceCluster.StartTimeout).Should().BeTrue(worker.Output);
        worker.ExitCode.Should().NotBe(0);
        worker.Output.Should().Contain("cannot start").And.Contain(corrupt).And.NotContain("   at ", "the start-up error is one line; the background services that had started end quietly");
        var task = await api.Client.GetTaskAsync(taskId);
        task!["status"]!.GetValue<string>().Should().Be("queued");
        task["attempts"]!.GetValue<int>().Should().Be(0);
        var queue = await api.QueueAsync("face");
        queue["enqueued"]!.GetValue<long>().Should().Be(1);
        queue["servers"]!.GetValue<int>().Should().Be(0);
        queue["workers"]!.GetValue<int>().Should().Be(0);
        (await _cluster.Db.SetLengthAsync("{hangfire}:servers")).Should().Be(0, "the Hangfire server was never announced");
    }

    [Theory]
    [InlineData("Worker:MetricsPort", "abc", "Worker:MetricsPort must be a port number 0-65535 (got 'abc')")]
    [InlineData("Worker:MetricsPort", "70000", "Worker:MetricsPort must be a port number 0-65535 (got '70000')")]
    [InlineData("Worker:MetricsHost", "not a host", "Worker:MetricsHost must be a host name, an IP address or * (got 'not a host')")]
    public void Worker_ExitsWithConfigurationErrorNamingTheKey_WhenItsMetricsAddressIsInvalid(string key, string value, string message)
    {
        var worker = _cluster.StartWorker("face", new Dictionary<string, string?> { [key] = value });

        worker.WaitForExit(ServiceCluster.StartTimeout).Should().BeTrue(worker.Output);
        worker.ExitCode.Should().Be(2, worker.Output);
        worker.Output.Should().Contain("cannot start: " + message).And.NotContain("   at ", "a configuration error is one line, not a stack trace");
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _folder.Delete(recursive: true);
    }
}

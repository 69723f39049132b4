using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// A transient fault injected from outside: the worker reaches Redis through a <see cref="TcpFaultProxy"/> that
/// resets its connections at the moment it stores the result (the first write carrying status <c>"completed"</c>) and
/// refuses it for 3 s. The store call fails, Hangfire records the failure and retries the job with back-off.
/// </summary>
public sealed class TransientFaultTests : IDisposable
{
    private readonly ServiceCluster _cluster = new();
    private readonly TcpFaultProxy _proxy;

    /// <summary>
    /// The status argument of the store's "end" script as it travels in RESP (a bulk string of 11 bytes). The
    /// scripts' own text also holds <c>'"completed"'</c>, but never right after a bulk-string header.
    /// </summary>
    private static readonly byte[] CompletedStatusArgument = "$11\r\n\"completed\"\r\n"u8.ToArray();

    public TransientFaultTests() => _proxy = new TcpFaultProxy(_cluster.Redis.Port);

    [Fact]
    public async Task Task_CompletesOnItsRetry_WhenTheWorkerLosesRedisWhileStoringTheResult()
    {
        var api = await _cluster.StartApiAsync();
        var worker = await _cluster.StartWorkerAsync("object", new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{_proxy.Port}",
        });
        _proxy.CutWhenClientSends(CompletedStatusArgument, TimeSpan.FromSeconds(3));

        var taskId = await api.Client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"));
        await _proxy.Cut.WaitAsync(TimeSpan.FromSeconds(60));
        var done = await api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(120));

        done["status"]!.GetValue<string>().Should().Be("completed", done.ToJsonString());
        done["attempts"]!.GetValue<int>().Should().Be(2, "the first run's result never reached Redis");
        FaceObjectClient.ClassNames(done).Should().Contain(["dog", "bicycle", "car"]);
        var history = await _cluster.Db.ListRangeAsync($"{{hangfire}}:job:{done["job_id"]!.GetValue<string>()}:history");
        history.Select(entry => entry.ToString()).Should().Contain(entry => entry.Contains("Retry attempt 1 of 5", StringComparison.Ordinal));
        worker.HasExited.Should().BeFalse();
    }

    public void Dispose()
    {
        _proxy.Dispose();
        _cluster.Dispose();
    }
}

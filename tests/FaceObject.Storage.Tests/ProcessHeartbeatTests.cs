using FaceObject.Storage.Liveness;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests;

public sealed class ProcessHeartbeatTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    [Fact]
    public async Task StartAsync_LetsLeasesNameTheProcess_OnlyWhileItsKeyIsKept()
    {
        var liveness = new ProcessLiveness("host-a:1:" + Guid.NewGuid().ToString("N")[..8]);
        var key = (RedisKey)(_prefix + "process:" + liveness.ProcessId);
        using var heartbeat = new ProcessHeartbeat(redis.Connection, StoreFactory.Keys(_prefix), liveness,
            Microsoft.Extensions.Options.Options.Create(new LivenessOptions()), TimeProvider.System, NullLogger<ProcessHeartbeat>.Instance);
        liveness.LeaseProcess.Should().BeNull("nothing keeps the key yet");

        await heartbeat.StartAsync(CancellationToken.None);
        liveness.LeaseProcess.Should().Be(liveness.ProcessId);
        (await redis.Connection.GetDatabase().KeyExistsAsync(key)).Should().BeTrue();

        await heartbeat.StopAsync(CancellationToken.None);
        liveness.LeaseProcess.Should().BeNull("the key is withdrawn on a graceful stop");
        (await redis.Connection.GetDatabase().KeyExistsAsync(key)).Should().BeFalse();
    }

    [Fact]
    public async Task Heartbeat_KeepsBeating_WhileRedisDoesNotAnswer()
    {
        // A command Redis never answers ends in a RedisTimeoutException, which is not a RedisException; a heartbeat
        // that let it escape would end, and a failed BackgroundService stops its host: a Redis restart used to take
        // a worker down with it.
        using var server = new FaceObject.Testing.RedisServer();
        var options = ConfigurationOptions.Parse(server.ConnectionString);
        options.AbortOnConnectFail = false;
        options.AsyncTimeout = 300;
        options.SyncTimeout = 300;
        using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var liveness = new ProcessLiveness("host-b:1:" + Guid.NewGuid().ToString("N")[..8]);
        using var logs = new FaceObject.Testing.RecordingLoggerFactory();
        using var heartbeat = new ProcessHeartbeat(connection, StoreFactory.Keys(_prefix), liveness,
            Microsoft.Extensions.Options.Options.Create(new LivenessOptions { Beat = TimeSpan.FromMilliseconds(100) }), TimeProvider.System,
            new Microsoft.Extensions.Logging.Logger<ProcessHeartbeat>(logs));
        await heartbeat.StartAsync(CancellationToken.None);

        server.Suspend();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            heartbeat.ExecuteTask!.IsCompleted.Should().BeFalse("a failed beat is logged and tried again at the next one: " + heartbeat.ExecuteTask.Exception);
            logs.Entries.Should().Contain(e => e.Message.StartsWith("Process heartbeat failed", StringComparison.Ordinal));
        }
        finally
        {
            server.Resume();
        }

        await heartbeat.StopAsync(CancellationToken.None);
    }
}

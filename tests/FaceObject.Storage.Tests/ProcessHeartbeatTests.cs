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
}

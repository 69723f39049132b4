using FaceObject.Core.Storage;
using StackExchange.Redis;

namespace FaceObject.Storage.Tests;

public sealed class StorageFaultsTests
{
    [Theory]
    [InlineData("LOADING Redis is loading the dataset in memory")]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")]
    [InlineData("READONLY You can't write against a read only replica.")]
    [InlineData("BUSY Redis is busy running a script.")]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")]
    public void ErrorRepliesOfARedisNotReadyYet_AreUnavailability(string reply) =>
        StorageFaults.IsUnavailable(new RedisServerException(reply)).Should().BeTrue();

    [Theory]
    [InlineData("BUSYGROUP Consumer Group name already exists")]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData("ERR unknown command 'FOO'")]
    public void ErrorRepliesAboutTheCommand_AreNotUnavailability(string reply)
    {
        StorageFaults.IsUnavailable(new RedisServerException(reply)).Should().BeFalse("retrying cannot help");
        StorageFaults.IsRedisFault(new RedisServerException(reply)).Should().BeTrue("a loop still outlives it");
    }

    [Fact]
    public void ClientTimeouts_AreUnavailability_AndRedisFaults_ThoughNotRedisExceptions()
    {
        var timeout = new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent);

        timeout.Should().NotBeAssignableTo<RedisException>("which is why catch (RedisException) is not enough");
        StorageFaults.IsUnavailable(timeout).Should().BeTrue();
        StorageFaults.IsRedisFault(timeout).Should().BeTrue();
        StorageFaults.IsUnavailable(new AggregateException(timeout)).Should().BeTrue();
        StorageFaults.IsUnavailable(new StorageUnavailableException("down", timeout)).Should().BeTrue();
    }

    [Fact]
    public void OtherExceptions_AreNeither()
    {
        StorageFaults.IsUnavailable(new InvalidOperationException("bug")).Should().BeFalse();
        StorageFaults.IsRedisFault(new TimeoutException("an HTTP call")).Should().BeFalse();
    }
}

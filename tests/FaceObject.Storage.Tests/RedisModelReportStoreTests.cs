using FaceObject.Core.Storage;
using FaceObject.Storage.Redis;

namespace FaceObject.Storage.Tests;

public sealed class RedisModelReportStoreTests(RedisFixture redis) : ModelReportStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override IModelReportStore Store => new RedisModelReportStore(redis.Connection, new RedisKeys(StoreFactory.Options(_prefix)));

    [Fact]
    public async Task PublishAsync_GivesTheReportARedisTtl_SoADeadHostDropsOut()
    {
        await Store.PublishAsync(Report("object", "host-a:101"), Ttl);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync($"{_prefix}model-report:object:host-a:101");

        ttl.Should().NotBeNull();
        ttl!.Value.Should().BeCloseTo(Ttl, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetAllAsync_DropsIndexEntry_WhenTheReportKeyHasExpired()
    {
        await Store.PublishAsync(Report("object", "host-a:101"), Ttl);
        await Store.PublishAsync(Report("object", "host-b:202"), Ttl);
        var db = redis.Connection.GetDatabase();

        // What Redis does when host-b stops re-publishing for a whole TTL.
        await db.KeyDeleteAsync($"{_prefix}model-report:object:host-b:202");

        (await Store.GetAllAsync()).Should().ContainSingle().Which.Server.Should().Be("host-a:101");
        (await db.SetMembersAsync($"{_prefix}model-reports")).Select(m => m.ToString())
            .Should().Equal($"{_prefix}model-report:object:host-a:101");
    }
}

using FaceObject.Core.Storage;
using FaceObject.Storage.Redis;

namespace FaceObject.Storage.Tests;

public sealed class RedisBatchStoreTests(RedisFixture redis) : BatchStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override IBatchStore Store => new RedisBatchStore(redis.Connection, StoreFactory.Keys(_prefix));

    [Fact]
    public async Task CreateAsync_SetsTheTtl_SoBatchesExpire()
    {
        var batch = NewBatch();
        await Store.CreateAsync(batch, Ttl);

        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(_prefix + "batch:" + batch.BatchId);

        ttl.Should().NotBeNull();
        ttl!.Value.Should().BeCloseTo(Ttl, TimeSpan.FromSeconds(10));
    }
}

public sealed class RedisIdempotencyStoreTests(RedisFixture redis) : IdempotencyStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override IIdempotencyStore Store => new RedisIdempotencyStore(redis.Connection, StoreFactory.Keys(_prefix));

    [Fact]
    public async Task TryClaimAsync_StoresAHashedKeyWithTheTtl()
    {
        var key = "any key, even with spaces and ünïcödé " + Guid.NewGuid();
        await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t1"), Ttl);

        var server = redis.Connection.GetServer(redis.Server.ConnectionString);
        var stored = server.Keys(pattern: _prefix + "idempotency:*").ToList();

        stored.Should().ContainSingle().Which.ToString().Should().MatchRegex("idempotency:[0-9a-f]{64}$");
        var ttl = await redis.Connection.GetDatabase().KeyTimeToLiveAsync(stored[0]);
        ttl!.Value.Should().BeCloseTo(Ttl, TimeSpan.FromSeconds(10));
    }
}

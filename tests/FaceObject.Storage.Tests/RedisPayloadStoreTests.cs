using FaceObject.Core.Storage;
using FaceObject.Storage.Redis;

namespace FaceObject.Storage.Tests;

public sealed class RedisPayloadStoreTests(RedisFixture redis) : PayloadStoreContract, IClassFixture<RedisFixture>
{
    private readonly string _prefix = $"test-{Guid.NewGuid():N}:";

    protected override IPayloadStore Store => new RedisPayloadStore(redis.Connection, new RedisKeys(StoreFactory.Options(_prefix)));
}

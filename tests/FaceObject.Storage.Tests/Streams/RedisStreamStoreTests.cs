using FaceObject.Core.Streams;
using FaceObject.Storage.Streams;

namespace FaceObject.Storage.Tests.Streams;

public sealed class RedisStreamStoreTests : StreamStoreContract, IClassFixture<RedisFixture>
{
    public RedisStreamStoreTests(RedisFixture redis)
    {
        var keys = new RedisStreamKeys(StoreFactory.Options($"test-{Guid.NewGuid():N}:"));
        var store = new RedisStreamStore(redis.Connection, keys, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new StreamStoreOptions { SubscriberTimeout = SubscriberTimeout }));
        Bus = new RedisStreamBus(redis.Connection, keys);
        Store = store;
        Ownership = store;
    }

    protected override IStreamStore Store { get; }

    protected override IStreamOwnership Ownership { get; }

    protected override IStreamEventBus Bus { get; }
}

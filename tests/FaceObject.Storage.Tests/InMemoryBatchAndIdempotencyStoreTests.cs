using FaceObject.Core.Storage;
using FaceObject.Storage.Memory;
using Microsoft.Extensions.Time.Testing;

namespace FaceObject.Storage.Tests;

public sealed class InMemoryBatchStoreTests : BatchStoreContract
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public InMemoryBatchStoreTests() => Store = new InMemoryBatchStore(_clock);

    protected override IBatchStore Store { get; }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenTtlHasPassed()
    {
        var batch = NewBatch();
        await Store.CreateAsync(batch, Ttl);

        _clock.Advance(Ttl + TimeSpan.FromSeconds(1));

        (await Store.GetAsync(batch.BatchId)).Should().BeNull();
    }
}

public sealed class InMemoryIdempotencyStoreTests : IdempotencyStoreContract
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public InMemoryIdempotencyStoreTests() => Store = new InMemoryIdempotencyStore(_clock);

    protected override IIdempotencyStore Store { get; }

    [Fact]
    public async Task TryClaimAsync_ReturnsNull_WhenTheEarlierClaimHasExpired()
    {
        var key = NewKey();
        await Store.TryClaimAsync(key, new IdempotencyClaim("f1", "t1"), Ttl);

        _clock.Advance(Ttl + TimeSpan.FromSeconds(1));

        (await Store.TryClaimAsync(key, new IdempotencyClaim("f2", "t2"), Ttl)).Should().BeNull();
    }
}

using FaceObject.Core.Batches;
using FaceObject.Core.Storage;

namespace FaceObject.Storage.Tests;

/// <summary>The behaviour every batch store must have; each store's test class runs all of it.</summary>
public abstract class BatchStoreContract
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    protected abstract IBatchStore Store { get; }

    protected static BatchRecord NewBatch() => new()
    {
        BatchId = Guid.NewGuid().ToString(),
        Model = "object",
        CreatedAt = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero),
        Tasks = [new BatchEntry("t1", "dog.jpg"), new BatchEntry("t2", null)],
        Rejected = [new BatchRejection("notes.txt", 415, "not an image")],
    };

    [Fact]
    public async Task GetAsync_ReturnsTheSameRecord_WhenCreated()
    {
        var batch = NewBatch();
        await Store.CreateAsync(batch, Ttl);

        var stored = await Store.GetAsync(batch.BatchId);

        stored.Should().BeEquivalentTo(batch, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenBatchIsUnknown() =>
        (await Store.GetAsync("unknown-" + Guid.NewGuid())).Should().BeNull();
}

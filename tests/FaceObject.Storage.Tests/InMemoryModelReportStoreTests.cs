using FaceObject.Core.Storage;
using FaceObject.Storage.Memory;
using Microsoft.Extensions.Time.Testing;

namespace FaceObject.Storage.Tests;

public sealed class InMemoryModelReportStoreTests : ModelReportStoreContract
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public InMemoryModelReportStoreTests() => Store = new InMemoryModelReportStore(_clock);

    protected override IModelReportStore Store { get; }

    [Fact]
    public async Task GetAllAsync_LeavesOutReport_WhenItsTtlHasPassedWithoutRepublishing()
    {
        await Store.PublishAsync(Report("object", "alive:1"), Ttl);
        await Store.PublishAsync(Report("object", "dead:2"), Ttl);
        _clock.Advance(Ttl / 2);
        await Store.PublishAsync(Report("object", "alive:1"), Ttl);

        _clock.Advance((Ttl / 2) + TimeSpan.FromSeconds(1));

        (await Store.GetAllAsync()).Should().ContainSingle().Which.Server.Should().Be("alive:1");
    }
}

using FaceObject.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace FaceObject.Storage.Tests;

public sealed class InMemoryTaskStoreTests : TaskStoreContract
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public InMemoryTaskStoreTests() => Store = StoreFactory.Memory(_clock, TimeSpan.FromMinutes(10));

    protected override ITaskStore Store { get; }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenTtlHasPassed()
    {
        var task = NewTask();
        await Store.CreateAsync(task);

        _clock.Advance(TimeSpan.FromMinutes(11));

        (await Store.GetAsync(task.TaskId)).Should().BeNull();
    }

    protected override Task PassTimeAsync(TimeSpan time)
    {
        _clock.Advance(time);
        return Task.CompletedTask;
    }
}

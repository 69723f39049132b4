using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Storage.Memory;

namespace FaceObject.Storage.Tests;

public sealed class PayloadThenRecordIntakeTests
{
    private readonly InMemoryPayloadStore _payloads = new(TimeProvider.System);
    private readonly InMemoryTaskStore _tasks = StoreFactory.Memory();

    [Fact]
    public async Task CreateAsync_StoresTheUploadAndTheRecord()
    {
        var task = NewTask();

        await new PayloadThenRecordIntake(_payloads, _tasks).CreateAsync(task, new byte[] { 1, 2 }, TimeSpan.FromMinutes(1));

        (await _payloads.GetAsync(task.PayloadKey!)).Should().Equal(1, 2);
        (await _tasks.GetAsync(task.TaskId))!.Status.Should().Be(DetectionTaskStatus.Queued);
    }

    private static TaskRecord NewTask()
    {
        var id = Guid.NewGuid().ToString();
        return new TaskRecord { TaskId = id, Model = "object", Queue = "object", Kind = TaskKind.Image, CreatedAt = DateTimeOffset.UtcNow, PayloadKey = PayloadKeys.Original(id, "jpg") };
    }
}

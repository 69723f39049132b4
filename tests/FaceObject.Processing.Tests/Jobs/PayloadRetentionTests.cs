using FaceObject.Core.Storage;
using FaceObject.Processing.Jobs;
using FaceObject.Storage;
using FaceObject.Storage.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Tests.Jobs;

public sealed class PayloadRetentionTests : IDisposable
{
    private readonly JobWorld _world = new();

    [Fact]
    public async Task ReleaseAsync_DeletesUpload_WhenPayloadsAreInStore()
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3]);
        var other = await _world.CreateTaskAsync(payload: [4, 5, 6]);

        await _world.Retention.ReleaseAsync(task);

        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().BeNull();
        (await _world.Payloads.GetAsync(other.PayloadKey!)).Should().Equal(4, 5, 6);
    }

    [Fact]
    public async Task ReleaseAsync_KeepsUpload_WhenPayloadsAreInBucket()
    {
        var task = await _world.CreateTaskAsync(payload: [1, 2, 3]);

        // original/{task_id} is part of a bucket's documented layout; its lifecycle rule expires it. The client is
        // made on first use, so this bucket is never contacted.
        var storage = new StorageOptions { Kind = "s3" };
        storage.S3.Bucket = "faceobject-tests";
        using var bucket = new S3PayloadStore(Options.Create(storage), _world.Clock);
        var retention = new PayloadRetention(_world.Payloads, _world.Tasks, _world.Logs.CreateLogger<PayloadRetention>(), bucket);

        await retention.ReleaseAsync(task);

        (await _world.Payloads.GetAsync(task.PayloadKey!)).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task ReleaseAsync_TouchesNoObject_WhenTaskReadsClientObject()
    {
        var clientKey = "uploads/client-photo.jpg";
        await _world.Payloads.PutAsync(clientKey, new byte[] { 9 }, TimeSpan.FromHours(1));
        var task = (await _world.CreateTaskAsync()) with { PayloadKey = null, Source = new ObjectReference("client-bucket", clientKey) };

        await _world.Retention.ReleaseAsync(task);

        (await _world.Payloads.GetAsync(clientKey)).Should().Equal(9);
    }

    public void Dispose() => _world.Dispose();
}

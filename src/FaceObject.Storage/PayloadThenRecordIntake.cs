using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Storage;

/// <summary>The intake of stores that live apart (memory, or a bucket beside Redis): the upload, then the record.</summary>
internal sealed class PayloadThenRecordIntake(IPayloadStore payloads, ITaskStore tasks) : ITaskIntake
{
    public async Task CreateAsync(TaskRecord task, ReadOnlyMemory<byte> payload, TimeSpan payloadTtl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);

        // Cancellable up to the record: once it exists the caller must enqueue its job or fail it.
        await payloads.PutAsync(task.PayloadKey ?? throw new ArgumentException("The task has no payload key.", nameof(task)), payload, payloadTtl, cancellationToken);
        await tasks.CreateAsync(task, CancellationToken.None);
    }
}

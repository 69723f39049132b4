using FaceObject.Core.Tasks;

namespace FaceObject.Core.Storage;

/// <summary>
/// Stores a new task's upload and its record, never the record without the upload: where both live in one Redis
/// they go in one atomic transaction (one round trip), elsewhere the upload goes first. Thread-safe.
/// </summary>
public interface ITaskIntake
{
    /// <summary>Stores <paramref name="payload"/> under <see cref="TaskRecord.PayloadKey"/> for <paramref name="payloadTtl"/>, and the record.</summary>
    /// <exception cref="StorageUnavailableException">Storage cannot be reached; then nothing, or only the upload, was stored.</exception>
    Task CreateAsync(TaskRecord task, ReadOnlyMemory<byte> payload, TimeSpan payloadTtl, CancellationToken cancellationToken = default);
}

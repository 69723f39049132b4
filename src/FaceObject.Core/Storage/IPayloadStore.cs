namespace FaceObject.Core.Storage;

/// <summary>
/// Bytes of uploads and output images, by key, with a TTL. Keys are made by the service (task ids), never by
/// clients. Thread-safe.
/// </summary>
public interface IPayloadStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The stored bytes, or null when the key does not exist or has expired.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

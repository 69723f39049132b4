namespace FaceObject.Core.Storage;

/// <summary>
/// Bytes of uploads, output images and result documents, by key (see <see cref="PayloadKeys"/>), with a TTL.
/// Keys are made by the service from task ids, never by clients. Thread-safe. A store that cannot be reached
/// throws <see cref="StorageUnavailableException"/>; a missing or expired key reads as null.
/// </summary>
public interface IPayloadStore
{
    Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="content"/> read to its end (the caller keeps ownership of the stream). Object stores
    /// send it in parts without holding it whole; stores that keep bytes in one value buffer it, which is what this
    /// default does. <paramref name="length"/> is a hint (null when unknown).
    /// </summary>
    async Task PutAsync(string key, Stream content, long? length, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = length is > 0 and <= int.MaxValue ? new MemoryStream((int)length.Value) : new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        await PutAsync(key, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), timeToLive, cancellationToken);
    }

    /// <summary>The stored bytes, or null when the key does not exist or has expired.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A stream over the stored bytes (the caller disposes it), or null when the key does not exist or has expired.</summary>
    async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        await GetAsync(key, cancellationToken) is { } bytes ? new MemoryStream(bytes, writable: false) : null;

    /// <summary>Removes the key; a key that does not exist is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

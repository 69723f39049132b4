namespace FaceObject.Core.Storage;

/// <summary>
/// The S3-compatible bucket behind the payload store (registered only with <c>Storage:Kind=s3</c>): clients may
/// submit objects they put there themselves, by key. Objects read through this are the client's: FaceObject never
/// writes or deletes them. Unreachable storage or rejected credentials throw <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IObjectBucket
{
    /// <summary>The configured bucket (<c>Storage:S3:Bucket</c>), where FaceObject writes its own objects.</summary>
    string Name { get; }

    /// <summary>Whether by-key submissions may name <paramref name="bucket"/>: the configured one, or one listed in <c>Storage:S3:AllowedBuckets</c>.</summary>
    bool IsAllowed(string bucket);

    /// <summary>The object's size in bytes, or null when it does not exist (a HEAD request).</summary>
    Task<long?> GetSizeAsync(ObjectReference reference, CancellationToken cancellationToken = default);

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    Task<byte[]?> GetAsync(ObjectReference reference, CancellationToken cancellationToken = default);

    /// <summary>For readiness probes: whether the configured bucket answers with these credentials right now. Never throws <see cref="StorageUnavailableException"/>.</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken = default);
}

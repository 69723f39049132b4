namespace FaceObject.Storage.S3;

/// <summary><c>Storage:S3:*</c>: the S3-compatible bucket used with <c>Storage:Kind=s3</c> (docs/storage.md).</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of a non-AWS server (MinIO, GCS interoperability, ...); empty for AWS S3, which <see cref="Region"/> then selects.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket FaceObject writes originals, results and processed images to. It must exist.</summary>
    public string? Bucket { get; set; }

    /// <summary>The AWS region, or the signing region of another server (most accept <c>us-east-1</c>; GCS wants <c>auto</c>).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary><c>host/bucket/key</c> addressing instead of <c>bucket.host/key</c>: what MinIO and most local servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>With <see cref="SecretKey"/>: static credentials. Empty: the AWS SDK's chain (AWS_ACCESS_KEY_ID, profile, instance role, ...).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Further buckets a by-key submission may name in its <c>bucket</c> field (read only).</summary>
    public IList<string> AllowedBuckets { get; } = [];

    /// <summary>Per request, before the storage counts as unreachable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Server-side encryption asked for on every object written: empty (the bucket's default), <c>AES256</c>
    /// (S3-managed keys) or <c>aws:kms</c> (with <see cref="KmsKeyId"/>, or the account's default KMS key).
    /// </summary>
    public string ServerSideEncryption { get; set; } = "";

    /// <summary>The KMS key (id, ARN or alias) for <c>aws:kms</c>.</summary>
    public string KmsKeyId { get; set; } = "";

    /// <summary>SDK-level retries of one request (transient network errors, 5xx) before Hangfire's job retries take over.</summary>
    public int MaxErrorRetry { get; set; } = 2;
}

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.S3.Model;
using FaceObject.Core.Storage;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.S3;

/// <summary>
/// Payloads as objects in an S3-compatible bucket (AWS S3, MinIO, GCS interoperability, ...). Payload keys are the
/// documented layout (<see cref="PayloadKeys"/>) and are used as object keys unchanged. Every object written carries
/// its expiry as the metadata <c>x-amz-meta-faceobject-expires-at</c> (the bucket's lifecycle rule does the deleting,
/// docs/storage.md). Streams go up in parts of <see cref="PartSize"/>, so at most one part is held in memory.
/// Also the <see cref="IObjectBucket"/> through which clients' own objects are read by key. Thread-safe.
/// </summary>
internal sealed class S3PayloadStore : IPayloadStore, IObjectBucket, IDisposable
{
    /// <summary>Part size of multipart uploads; S3 wants at least 5 MiB for every part but the last.</summary>
    internal const int PartSize = 8 << 20;

    public const string ExpiresAtMetadata = "faceobject-expires-at";

    private readonly S3StorageOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lazy<AmazonS3Client> _client;
    private readonly ServerSideEncryptionMethod? _encryption;

    public S3PayloadStore(IOptions<StorageOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.S3;
        _clock = clock;
        Name = _options.Bucket ?? throw new InvalidOperationException("Storage:S3:Bucket is not set.");
        _encryption = _options.ServerSideEncryption switch
        {
            "" => null,
            "AES256" => ServerSideEncryptionMethod.AES256,
            "aws:kms" => ServerSideEncryptionMethod.AWSKMS,
            var other => throw new InvalidOperationException(
                $"Storage:S3:ServerSideEncryption is '{other}'; it accepts AES256, aws:kms (with Storage:S3:KmsKeyId) or nothing (the bucket's default)."),
        };
        if (_options.KmsKeyId.Length > 0 && _encryption != ServerSideEncryptionMethod.AWSKMS)
        {
            throw new InvalidOperationException("Storage:S3:KmsKeyId is set but Storage:S3:ServerSideEncryption is not aws:kms.");
        }
        _client = new Lazy<AmazonS3Client>(CreateClient);
    }

    public string Name { get; }

    private AmazonS3Client Client => _client.Value;

    public bool IsAllowed(string bucket) =>
        string.Equals(bucket, Name, StringComparison.Ordinal) || _options.AllowedBuckets.Contains(bucket, StringComparer.Ordinal);

    public Task PutAsync(string key, ReadOnlyMemory<byte> content, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var segment = MemoryMarshal.TryGetArray(content, out var array) ? array : new ArraySegment<byte>(content.ToArray());
        return GuardAsync(Name, key, async () =>
        {
            using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            var request = new PutObjectRequest
            {
                BucketName = Name,
                Key = key,
                InputStream = stream,
                AutoCloseStream = false,
                ContentType = ContentTypeOf(key),

                // Plain signed bodies: aws-chunked uploads are not understood by GCS and some S3-compatible servers.
                UseChunkEncoding = false,
            };
            request.Metadata.Add(ExpiresAtMetadata, ExpiresAt(timeToLive));
            if (_encryption is not null)
            {
                request.ServerSideEncryptionMethod = _encryption;
                request.ServerSideEncryptionKeyManagementServiceKeyId = NullIfEmpty(_options.KmsKeyId);
            }

            await Client.PutObjectAsync(request, cancellationToken);
            return true;
        }, cancellationToken);
    }

    public async Task PutAsync(string key, Stream content, long? length, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            var filled = await FillAsync(content, buffer, cancellationToken);
            if (filled < PartSize)
            {
                await PutAsync(key, buffer.AsMemory(0, filled), timeToLive, cancellationToken);
                return;
            }

            await GuardAsync(Name, key, async () =>
            {
                await UploadInPartsAsync(key, content, buffer, filled, timeToLive, cancellationToken);
                return true;
            }, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAllAsync(Name, key, cancellationToken);

    public Task<byte[]?> GetAsync(ObjectReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return ReadAllAsync(reference.Bucket, reference.Key, cancellationToken);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
        GuardAsync<Stream?>(Name, key, async () =>
        {
            // The caller owns the stream; disposing it releases the response and its connection.
            var response = await Client.GetObjectAsync(Name, key, cancellationToken);
            return response.ResponseStream;
        }, cancellationToken);

    public Task<long?> GetSizeAsync(ObjectReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return GuardAsync<long?>(reference.Bucket, reference.Key, async () =>
            (await Client.GetObjectMetadataAsync(reference.Bucket, reference.Key, cancellationToken)).ContentLength, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        GuardAsync(Name, key, async () =>
        {
            await Client.DeleteObjectAsync(Name, key, cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>The bucket answers a one-key listing with these credentials.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await GuardAsync(Name, "", async () =>
                await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name, MaxKeys = 1, Prefix = PayloadKeys.OriginalPrefix }, cancellationToken),
                cancellationToken);
            return true;
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private async Task UploadInPartsAsync(string key, Stream content, byte[] buffer, int filled, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = Name, Key = key, ContentType = ContentTypeOf(key) };
        initiate.Metadata.Add(ExpiresAtMetadata, ExpiresAt(timeToLive));

        // A multipart object is encrypted as its upload is started; its parts carry no header of their own.
        if (_encryption is not null)
        {
            initiate.ServerSideEncryptionMethod = _encryption;
            initiate.ServerSideEncryptionKeyManagementServiceKeyId = NullIfEmpty(_options.KmsKeyId);
        }
        var uploadId = (await Client.InitiateMultipartUploadAsync(initiate, cancellationToken)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            for (var number = 1; filled > 0; number++)
            {
                using var part = new MemoryStream(buffer, 0, filled, writable: false);
                var uploaded = await Client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Name,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    PartSize = filled,
                    InputStream = part,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(number, uploaded.ETag));
                filled = await FillAsync(content, buffer, cancellationToken);
            }

            await Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Name,
                Key = key,
                UploadId = uploadId,
                PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            // An unfinished multipart upload keeps its parts (and costs storage) until aborted.
            try
            {
                await Client.AbortMultipartUploadAsync(Name, key, uploadId, CancellationToken.None);
            }
            catch (Exception e) when (IsStorageFault(e, CancellationToken.None))
            {
                // The original error is the one to report; a lifecycle rule can clean up what is left.
            }

            throw;
        }
    }

    private Task<byte[]?> ReadAllAsync(string bucket, string key, CancellationToken cancellationToken) =>
        GuardAsync<byte[]?>(bucket, key, async () =>
        {
            using var response = await Client.GetObjectAsync(bucket, key, cancellationToken);
            using var copy = response.ContentLength is > 0 and <= int.MaxValue ? new MemoryStream((int)response.ContentLength) : new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy, cancellationToken);
            return copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
        }, cancellationToken);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the count read.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < PartSize)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, PartSize - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private string ExpiresAt(TimeSpan timeToLive) =>
        (_clock.GetUtcNow() + timeToLive).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".jpg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".bmp" => "image/bmp",
        ".json" => "application/json",
        ".mp4" => "video/mp4",
        ".mov" => "video/quicktime",
        ".avi" => "video/x-msvideo",
        ".mkv" => "video/x-matroska",
        ".webm" => "video/webm",
        _ => "application/octet-stream",
    };

    /// <summary>
    /// Runs one bucket operation. A missing object is a null answer (or nothing, for deletes); everything that
    /// means "storage cannot serve us now" (connection refused, timeouts, 5xx, rejected credentials, a missing
    /// bucket) becomes <see cref="StorageUnavailableException"/>, which the API answers with 503 and Hangfire retries.
    /// </summary>
    private static async Task<T?> GuardAsync<T>(string bucket, string key, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket")
        {
            return default;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new StorageUnavailableException($"The bucket '{bucket}' does not exist; create it or fix Storage:S3:Bucket.", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new StorageUnavailableException(
                $"The object storage refused access to '{bucket}/{key}' ({e.ErrorCode ?? e.StatusCode.ToString()}): check Storage:S3:AccessKey/SecretKey or the AWS credentials and the bucket policy.", e);
        }
        catch (Exception e) when (IsStorageFault(e, cancellationToken))
        {
            throw new StorageUnavailableException($"The object storage is not reachable ({bucket}): {e.Message}", e);
        }
    }

    private static bool IsStorageFault(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = _options.ForcePathStyle,
            Timeout = _options.Timeout,
            MaxErrorRetry = _options.MaxErrorRetry,

            // SDK 4 adds CRC32 headers to every upload and asks for checksums on every download by default, which
            // S3-compatible servers (GCS interoperability among them) reject or mishandle. The bodies are signed with
            // their SHA-256 (no chunk encoding), which S3 checks, so only checksums an operation requires are sent.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(_options.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(_options.Region);
        }
        else
        {
            config.ServiceURL = _options.ServiceUrl;
            config.AuthenticationRegion = _options.Region;
        }

        try
        {
            // SDK 4 would look for credentials at the first request and report a missing one as an unreachable
            // storage; resolving them here keeps the message that names the settings.
            var credentials = string.IsNullOrEmpty(_options.AccessKey)
                ? DefaultAWSCredentialsIdentityResolver.GetCredentials(config)
                : new BasicAWSCredentials(_options.AccessKey, _options.SecretKey);
            return new AmazonS3Client(credentials, config);
        }
        catch (AmazonClientException e)
        {
            throw new StorageUnavailableException(
                "No credentials for the object storage: set Storage:S3:AccessKey and Storage:S3:SecretKey, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an AWS profile or role.", e);
        }
    }

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;
}

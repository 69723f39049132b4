using FaceObject.Core.Storage;
using FaceObject.Storage.S3;
using FaceObject.Testing;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Tests;

public sealed class S3PayloadStoreTests : PayloadStoreContract, IClassFixture<S3Fixture>, IDisposable
{
    private readonly S3Fixture _s3;
    private readonly S3PayloadStore _store;

    public S3PayloadStoreTests(S3Fixture fixture)
    {
        _s3 = fixture;
        _store = Create();
    }

    protected override IPayloadStore Store => _store;

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task PutAsync_WritesTheDocumentedKeyWithItsExpiry_WhenBytesArePut()
    {
        var now = DateTimeOffset.UtcNow;
        var key = PayloadKeys.Original("task-1", "jpg");
        await Store.PutAsync(key, Bytes(100), TimeSpan.FromHours(2));

        using var client = _s3.Server.CreateClient();
        var head = await client.GetObjectMetadataAsync(_s3.Bucket, "original/task-1.jpg");

        head.Headers.ContentType.Should().Be("image/jpeg");
        var expiresAt = DateTimeOffset.Parse(head.Metadata["x-amz-meta-" + S3PayloadStore.ExpiresAtMetadata], System.Globalization.CultureInfo.InvariantCulture);
        expiresAt.Should().BeCloseTo(now + TimeSpan.FromHours(2), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task GetAsync_ReadsTheClientsObject_WhenReferencedByKey()
    {
        await _s3.Server.PutObjectAsync(_s3.Bucket, "images/a.jpg", "bytes"u8.ToArray());
        using var bucket = Create();

        (await bucket.GetSizeAsync(new ObjectReference(_s3.Bucket, "images/a.jpg"))).Should().Be(5);
        (await bucket.GetAsync(new ObjectReference(_s3.Bucket, "images/a.jpg"))).Should().Equal("bytes"u8.ToArray());
        (await bucket.GetSizeAsync(new ObjectReference(_s3.Bucket, "images/missing.jpg"))).Should().BeNull();
    }

    [Fact]
    public void IsAllowed_AcceptsOnlyTheConfiguredAndListedBuckets()
    {
        using var bucket = Create(configure: o => o.AllowedBuckets.Add("shared-inbox"));

        bucket.IsAllowed(_s3.Bucket).Should().BeTrue();
        bucket.IsAllowed("shared-inbox").Should().BeTrue();
        bucket.IsAllowed("someone-elses").Should().BeFalse();
    }

    [Fact]
    public async Task PutAsync_ThrowsStorageUnavailable_WhenCredentialsAreWrong()
    {
        using var store = Create(configure: o => o.AccessKey = "WRONG");

        var act = () => store.PutAsync(NewKey(), Bytes(10), TimeSpan.FromMinutes(1));

        (await act.Should().ThrowAsync<StorageUnavailableException>()).Which.Message.Should().Contain("InvalidAccessKeyId");
    }

    [Fact]
    public async Task GetAsync_ThrowsStorageUnavailable_WhenNothingListensAtTheEndpoint()
    {
        using var store = Create(configure: o => o.ServiceUrl = $"http://127.0.0.1:{FreePort.Next()}");

        var act = () => store.GetAsync(NewKey());

        (await act.Should().ThrowAsync<StorageUnavailableException>()).Which.Message.Should().Contain("not reachable");
        (await store.IsReachableAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task PutAsync_ThrowsStorageUnavailableNamingTheBucket_WhenTheBucketDoesNotExist()
    {
        using var store = Create(configure: o => o.Bucket = "no-such-bucket");

        var act = () => store.PutAsync(NewKey(), Bytes(10), TimeSpan.FromMinutes(1));

        (await act.Should().ThrowAsync<StorageUnavailableException>()).Which.Message.Should().Contain("no-such-bucket");
    }

    private S3PayloadStore Create(Action<S3StorageOptions>? configure = null)
    {
        var options = new StorageOptions { Kind = "s3" };
        options.S3.ServiceUrl = _s3.Server.ServiceUrl;
        options.S3.Bucket = _s3.Bucket;
        options.S3.ForcePathStyle = true;
        options.S3.AccessKey = S3Server.AccessKey;
        options.S3.SecretKey = S3Server.SecretKey;
        options.S3.MaxErrorRetry = 0;
        configure?.Invoke(options.S3);
        return new S3PayloadStore(Options.Create(options), TimeProvider.System);
    }
}

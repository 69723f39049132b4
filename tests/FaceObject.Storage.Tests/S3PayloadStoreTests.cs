using FaceObject.Core.Storage;
using FaceObject.Storage.S3;
using FaceObject.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Tests;

public sealed class S3PayloadStoreTests : PayloadStoreContract, IClassFixture<S3Fixture>, IDisposable
{
    private static readonly HttpClient RelayClient = new();

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

    [Fact]
    public async Task PutAsync_SendsNoChecksumHeadersOrChunkedBodies_WhenTalkingToAnS3CompatibleServer()
    {
        // Every request passes through a recording relay on its way to s3rver, so this sees what a server would.
        await using var relay = await LocalHttpServer.StartAsync((app, _) =>
            ((IApplicationBuilder)app).Run(context => RelayAsync(context, _s3.Server.ServiceUrl)));
        using var store = Create(configure: o => o.ServiceUrl = relay.BaseUrl);
        var small = NewKey();
        var large = NewKey("mp4");

        await store.PutAsync(small, Bytes(100), TimeSpan.FromMinutes(1));
        await store.PutAsync(large, new MemoryStream(Bytes(LargeSize)), null, TimeSpan.FromMinutes(1));
        (await store.GetAsync(small)).Should().Equal(Bytes(100));
        (await store.GetAsync(large)).Should().HaveCount(LargeSize);

        relay.Requests.Select(r => r.Method).Should().Contain(["PUT", "POST", "GET"]);
        relay.Requests.SelectMany(r => r.Headers.Keys).Should().NotContain(name =>
            name.StartsWith("x-amz-checksum", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("x-amz-sdk-checksum", StringComparison.OrdinalIgnoreCase)
            || name.Equals("x-amz-trailer", StringComparison.OrdinalIgnoreCase));
        relay.Requests.Should().NotContain(r => r.Header("Content-Encoding") == "aws-chunked");
    }

    [Theory]
    [InlineData("AES256", "")]
    [InlineData("aws:kms", "alias/faceobject")]
    public async Task PutAsync_AsksForServerSideEncryptionOnEveryObjectWritten_WhenConfigured(string method, string kmsKeyId)
    {
        await using var relay = await LocalHttpServer.StartAsync((app, _) =>
            ((IApplicationBuilder)app).Run(context => RelayAsync(context, _s3.Server.ServiceUrl)));
        using var store = Create(configure: o =>
        {
            o.ServiceUrl = relay.BaseUrl;
            o.ServerSideEncryption = method;
            o.KmsKeyId = kmsKeyId;
        });

        await store.PutAsync(NewKey(), Bytes(100), TimeSpan.FromMinutes(1));
        await store.PutAsync(NewKey("mp4"), new MemoryStream(Bytes(LargeSize)), null, TimeSpan.FromMinutes(1));

        // Object writes: a whole PUT, or the POST ?uploads that starts a multipart upload (its part PUTs inherit it).
        var writes = relay.Requests.Where(r => (r.Method == "PUT" && !r.Path.Contains("partNumber=", StringComparison.Ordinal))
            || (r.Method == "POST" && r.Path.Contains("?uploads", StringComparison.Ordinal))).ToList();
        writes.Should().HaveCount(2);
        writes.Should().AllSatisfy(r =>
        {
            r.Header("x-amz-server-side-encryption").Should().Be(method);
            r.Header("x-amz-server-side-encryption-aws-kms-key-id").Should().Be(kmsKeyId.Length > 0 ? kmsKeyId : null);
        });
    }

    [Fact]
    public void Create_RefusesAnUnknownEncryption_NamingWhatIsAccepted() =>
        FluentActions.Invoking(() => Create(configure: o => o.ServerSideEncryption = "aes256"))
            .Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("AES256, aws:kms");

    private static async Task RelayAsync(HttpContext context, string target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target + context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength is > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        // Host included: the signature covers it, and s3rver checks it against the Host it receives.
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await RelayClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
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

using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace FaceObject.Testing;

/// <summary>
/// A real S3-compatible server, <c>s3rver</c> from npm (installed by <c>npm ci</c> in tests/s3rver), run with
/// <c>node</c> on 127.0.0.1 and a free port with its data in a temporary folder. It accepts the credentials
/// <see cref="AccessKey"/>/<see cref="SecretKey"/> and refuses unknown access keys. Stopped and removed on dispose.
/// </summary>
public sealed class S3Server : IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _dataDirectory;
    private Process? _process;

    public S3Server()
    {
        Port = FreePort.Next();
        _dataDirectory = Directory.CreateTempSubdirectory("faceobject-s3rver-").FullName;
        Start();
    }

    public int Port { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Starts the server again on the same port and data (after <see cref="Stop"/>).</summary>
    public void Start()
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing: run 'npm ci' in tests/s3rver (scripts/test.sh does).");
        }

        _process = LocalServer.Start("node",
        [
            script, "--directory", _dataDirectory, "--address", "127.0.0.1",
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent", "--no-vhost-buckets",
        ]);
        LocalServer.WaitUntilAccepting(_process, "s3rver (node)", Port, TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server at once: the storage becomes unreachable.</summary>
    public void Stop() => LocalServer.Kill(ref _process);

    /// <summary>An SDK client for this server (path style, plain bodies), with the right or the given credentials.</summary>
    public AmazonS3Client CreateClient(string accessKey = AccessKey, string secretKey = SecretKey) =>
        new(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    /// <summary>Creates a bucket with a fresh name and returns the name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = "test-" + Guid.NewGuid().ToString("N")[..20];
        using var client = CreateClient();
        await client.PutBucketAsync(name);
        return name;
    }

    /// <summary>Puts an object as a client of the bucket would (plain body: s3rver does not decode aws-chunked ones).</summary>
    public async Task PutObjectAsync(string bucket, string key, byte[] content)
    {
        using var client = CreateClient();
        using var stream = new MemoryStream(content, writable: false);
        await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = key, InputStream = stream, UseChunkEncoding = false });
    }

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    public async Task<byte[]?> GetObjectAsync(string bucket, string key)
    {
        using var client = CreateClient();
        try
        {
            using var response = await client.GetObjectAsync(bucket, key);
            using var copy = new MemoryStream();
            await response.ResponseStream.CopyToAsync(copy);
            return copy.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The FaceObject settings that point the payload store at <paramref name="bucket"/> on this server.</summary>
    public Dictionary<string, string?> Settings(string bucket, string accessKey = AccessKey) => new()
    {
        ["Storage:Kind"] = "s3",
        ["Storage:S3:ServiceUrl"] = ServiceUrl,
        ["Storage:S3:Bucket"] = bucket,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:AccessKey"] = accessKey,
        ["Storage:S3:SecretKey"] = SecretKey,
    };

    public void Dispose()
    {
        Stop();
        LocalServer.DeleteDirectory(_dataDirectory);
    }
}

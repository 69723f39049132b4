using FaceObject.Testing;

namespace FaceObject.Storage.Tests;

/// <summary>One real s3rver for a test class, and a bucket of its own on it.</summary>
public sealed class S3Fixture : IAsyncLifetime
{
    public S3Server Server { get; } = new();

    public string Bucket { get; private set; } = "";

    public async Task InitializeAsync() => Bucket = await Server.CreateBucketAsync();

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }
}

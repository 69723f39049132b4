using Microsoft.Extensions.Options;

namespace FaceObject.Storage.Tests;

public sealed class StorageKindTests
{
    [Theory]
    [InlineData(null, StorageMode.Memory, PayloadStorageKind.Memory)]
    [InlineData(null, StorageMode.Redis, PayloadStorageKind.Redis)]
    [InlineData("Redis", StorageMode.Redis, PayloadStorageKind.Redis)]
    [InlineData("s3", StorageMode.Redis, PayloadStorageKind.S3)]
    [InlineData("s3", StorageMode.Memory, PayloadStorageKind.S3)]
    public void ResolvePayloadKind_ChoosesTheKind_WhenTheConfigurationIsConsistent(string? kind, StorageMode mode, PayloadStorageKind expected)
    {
        var options = new StorageOptions { Kind = kind };
        options.S3.Bucket = "b";

        StorageRegistration.ResolvePayloadKind(options, mode).Should().Be(expected);
    }

    [Theory]
    [InlineData("redis", StorageMode.Memory, "needs ConnectionStrings:Redis")]
    [InlineData("memory", StorageMode.Redis, "workers elsewhere cannot read them")]
    [InlineData("gcs", StorageMode.Memory, "use memory, redis or s3")]
    public void ResolvePayloadKind_ThrowsWithTheFix_WhenTheConfigurationIsInconsistent(string kind, StorageMode mode, string message)
    {
        var act = () => StorageRegistration.ResolvePayloadKind(new StorageOptions { Kind = kind }, mode);

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void ResolvePayloadKind_ThrowsNamingTheSetting_WhenS3HasNoBucket()
    {
        var act = () => StorageRegistration.ResolvePayloadKind(new StorageOptions { Kind = "s3" }, StorageMode.Redis);

        act.Should().Throw<OptionsValidationException>().WithMessage("*Storage:S3:Bucket*");
    }
}

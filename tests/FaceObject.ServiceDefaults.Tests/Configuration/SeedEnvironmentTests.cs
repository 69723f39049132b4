using FaceObject.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace FaceObject.ServiceDefaults.Tests.Configuration;

public sealed class SeedEnvironmentTests
{
    [Theory]
    [InlineData("redis://localhost:6379", "localhost:6379", null, null, -1, false)]
    [InlineData("redis://redis-cluster", "redis-cluster:6379", null, null, -1, false)]
    [InlineData("redis://:s%40cret@10.0.0.5:6380/3", "10.0.0.5:6380", null, "s@cret", 3, false)]
    [InlineData("redis://app:pw@cache:7000/0", "cache:7000", "app", "pw", 0, false)]
    [InlineData("rediss://:pw@cache.example.com:6380", "cache.example.com:6380", null, "pw", -1, true)]
    public void ToConnectionString_GivesWhatTheRedisClientReadsAsTheUrl(
        string url, string endpoint, string? user, string? password, int database, bool ssl)
    {
        var options = ConfigurationOptions.Parse(SeedEnvironment.ToConnectionString(url));

        options.EndPoints.Select(e => e.ToString()).Should().Equal(endpoint.StartsWith("10.", StringComparison.Ordinal) ? endpoint : $"Unspecified/{endpoint}");
        options.User.Should().Be(user);
        options.Password.Should().Be(password);
        (options.DefaultDatabase ?? -1).Should().Be(database);
        options.Ssl.Should().Be(ssl);
    }

    [Theory]
    [InlineData("localhost:6379")]
    [InlineData("http://localhost:6379")]
    [InlineData("redis:///0")]
    [InlineData("redis://localhost:6379/sixteen")]
    [InlineData("redis://localhost:6379/16")]
    [InlineData("redis://localhost:6379/0?timeout=5")]
    [InlineData("redis://:a,b@localhost:6379")]
    public void ToConnectionString_NamesTheAcceptedFormWithoutTheValue_WhenNotARedisUrl(string url)
    {
        var act = () => SeedEnvironment.ToConnectionString(url);

        act.Should().Throw<HostConfigurationException>()
            .Which.Message.Should().StartWith("REDIS_URL is not usable").And.Contain("redis://[[user]:password@]host[:port][/db]")
            .And.NotContain(url, "the URL may hold a password");
    }

    [Fact]
    public void Apply_FillsRedisAndRegion_WhenFaceObjectsOwnSettingsAreMissing()
    {
        var configuration = Manager(new() { ["REDIS_URL"] = "redis://:pw@cache:6380/2", ["AWS_REGION"] = "eu-west-1" });

        SeedEnvironment.Apply(configuration);

        configuration.GetConnectionString("Redis").Should().Be("cache:6380,password=pw,defaultDatabase=2");
        configuration["Storage:S3:Region"].Should().Be("eu-west-1");
    }

    [Fact]
    public void Apply_KeepsFaceObjectsOwnSettings_WhenBothAreGiven()
    {
        var configuration = Manager(new()
        {
            ["REDIS_URL"] = "not a url at all",
            ["ConnectionStrings:Redis"] = "127.0.0.1:6379",
            ["AWS_REGION"] = "eu-west-1",
            ["Storage:S3:Region"] = "us-west-2",
        });

        SeedEnvironment.Apply(configuration);

        configuration.GetConnectionString("Redis").Should().Be("127.0.0.1:6379", "an explicit connection string wins, and a bad REDIS_URL beside it is never read");
        configuration["Storage:S3:Region"].Should().Be("us-west-2");
    }

    private static ConfigurationManager Manager(Dictionary<string, string?> values)
    {
        var manager = new ConfigurationManager();
        manager.AddInMemoryCollection(values);
        return manager;
    }
}

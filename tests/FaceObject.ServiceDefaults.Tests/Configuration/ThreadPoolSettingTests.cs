using FaceObject.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace FaceObject.ServiceDefaults.Tests.Configuration;

public sealed class ThreadPoolSettingTests
{
    [Theory]
    [InlineData(null, null, 0)]
    [InlineData("127.0.0.1:6379", null, ThreadPoolSetting.RedisDefault)]
    [InlineData("127.0.0.1:6379", "0", 0)]
    [InlineData(null, "128", 128)]
    public void Read_GivesTheMinimum_ForTheStorageAndSetting(string? redis, string? setting, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis,
            [ThreadPoolSetting.Key] = setting,
        }).Build();

        ThreadPoolSetting.Read(configuration).Should().Be(expected);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("many")]
    [InlineData("100000")]
    public void Read_NamesTheKeyAndTheRange_WhenTheSettingIsInvalid(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ThreadPoolSetting.Key] = setting }).Build();

        var act = () => ThreadPoolSetting.Read(configuration);

        act.Should().Throw<HostConfigurationException>().WithMessage($"ThreadPool:MinThreads must be a whole number between 0 and 32767 (got '{setting}')*");
    }
}

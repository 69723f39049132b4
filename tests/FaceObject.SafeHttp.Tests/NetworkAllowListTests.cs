using System.Net;

namespace FaceObject.SafeHttp.Tests;

public sealed class NetworkAllowListTests
{
    [Fact]
    public void Parse_AcceptsNamesAddressesAndRanges()
    {
        var list = NetworkAllowList.Parse(["files.local", "127.0.0.1", "10.0.0.0/8", "fd00::/8", "[::1]"], out var errors);

        errors.Should().BeEmpty();
        list.AllowsHost("FILES.local").Should().BeTrue();
        list.AllowsHost("other.local").Should().BeFalse();
        list.AllowsAddress(IPAddress.Parse("127.0.0.1")).Should().BeTrue();
        list.AllowsAddress(IPAddress.Parse("127.0.0.2")).Should().BeFalse();
        list.AllowsAddress(IPAddress.Parse("10.20.30.40")).Should().BeTrue();
        list.AllowsAddress(IPAddress.Parse("fd00::5")).Should().BeTrue();
        list.AllowsAddress(IPAddress.Parse("::1")).Should().BeTrue();
    }

    [Fact]
    public void AllowsAddress_MatchesIPv4MappedForm_WhenIPv4IsListed()
    {
        var list = NetworkAllowList.Parse(["127.0.0.1"], out _);

        list.AllowsAddress(IPAddress.Parse("::ffff:127.0.0.1")).Should().BeTrue();
    }

    [Fact]
    public void AllowsAddress_UsesTheWholeRange_WhenCidrHasHostBitsSet()
    {
        var list = NetworkAllowList.Parse(["10.0.0.1/8"], out var errors);

        errors.Should().BeEmpty();
        list.AllowsAddress(IPAddress.Parse("10.9.9.9")).Should().BeTrue();
        list.AllowsAddress(IPAddress.Parse("11.0.0.1")).Should().BeFalse();
    }

    [Fact]
    public void Parse_AcceptsCommaSeparatedEntries_AsAnEnvironmentVariableGivesThem()
    {
        var list = NetworkAllowList.Parse(["127.0.0.1, files.local"], out var errors);

        errors.Should().BeEmpty();
        list.AllowsHost("files.local").Should().BeTrue();
        list.AllowsAddress(IPAddress.Loopback).Should().BeTrue();
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("300.0.0.0/8")]
    [InlineData("not a host!")]
    public void Parse_NamesTheEntry_WhenItIsNotValid(string entry)
    {
        NetworkAllowList.Parse([entry], out var errors);

        errors.Should().ContainSingle().Which.Should().Contain(entry);
    }
}

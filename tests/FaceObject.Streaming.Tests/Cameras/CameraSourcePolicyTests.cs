using System.ComponentModel.DataAnnotations;
using System.Net;
using FaceObject.Streaming.Cameras;

namespace FaceObject.Streaming.Tests.Cameras;

public sealed class CameraSourcePolicyTests
{
    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.9")]
    [InlineData("192.168.1.64")]
    [InlineData("fd12:3456::1")]
    [InlineData("8.8.8.8")]
    public void Refusal_AllowsPrivateAndPublicAddresses_ByDefault(string address) =>
        CameraSourcePolicy.Default.Refusal(address, IPAddress.Parse(address)).Should().BeNull();

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    public void Refusal_RefusesSpecialAddresses_ByDefault_NamingTheSetting(string address, string kind) =>
        CameraSourcePolicy.Default.Refusal(address, IPAddress.Parse(address)).Should()
            .Contain(kind).And.Contain("Streams:AllowedSources").And.Contain("private networks").And.Contain("public addresses");

    [Fact]
    public void Refusal_AllowsLoopback_WhenListed()
    {
        var policy = new CameraSourcePolicy(["127.0.0.1"]);

        policy.Permits("127.0.0.1", IPAddress.Loopback).Should().BeTrue();
        policy.Permits("127.0.0.2", IPAddress.Parse("127.0.0.2")).Should().BeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("169.254.0.0/16")]
    [InlineData("0.0.0.0/0,::/0")]
    [InlineData("169.254.169.254,metadata.google.internal")]
    public void Refusal_AlwaysRefusesTheMetadataAddress_WhateverIsListed(string allowed)
    {
        var policy = new CameraSourcePolicy(allowed.Split(',', StringSplitOptions.RemoveEmptyEntries));

        policy.Refusal("169.254.169.254", IPAddress.Parse("169.254.169.254")).Should().Contain("metadata").And.Contain("never");
        policy.Refusal("metadata.google.internal", IPAddress.Parse("169.254.169.254")).Should().Contain("metadata.google.internal resolves to 169.254.169.254");
        policy.Permits("fe80::1", IPAddress.Parse("fe80::1")).Should().BeFalse();
    }

    [Fact]
    public void Refusal_HonoursCidrList_WhichReplacesTheDefault()
    {
        var policy = new CameraSourcePolicy(["10.0.0.0/8", "fd00::/8"]);

        policy.Permits("10.20.30.40", IPAddress.Parse("10.20.30.40")).Should().BeTrue();
        policy.Permits("fd00::5", IPAddress.Parse("fd00::5")).Should().BeTrue();
        policy.Refusal("192.168.1.64", IPAddress.Parse("192.168.1.64")).Should().Contain("10.0.0.0/8").And.Contain("fd00::/8");
        policy.Permits("8.8.8.8", IPAddress.Parse("8.8.8.8")).Should().BeFalse();
    }

    [Fact]
    public void Refusal_AllowsDefaultPlusLoopback_WhenTheWordsAreListed()
    {
        var policy = new CameraSourcePolicy(["private", "public", "127.0.0.1"]);

        policy.Permits("192.168.1.64", IPAddress.Parse("192.168.1.64")).Should().BeTrue();
        policy.Permits("8.8.8.8", IPAddress.Parse("8.8.8.8")).Should().BeTrue();
        policy.Permits("127.0.0.1", IPAddress.Loopback).Should().BeTrue();
    }

    [Fact]
    public void Refusal_AllowsEveryAddressOfAListedName_ButNeverLinkLocal()
    {
        var policy = new CameraSourcePolicy(["cam.local"]);

        policy.Permits("cam.local", IPAddress.Loopback).Should().BeTrue();
        policy.Permits("cam.local", IPAddress.Parse("169.254.10.10")).Should().BeFalse();
        policy.Permits("other.local", IPAddress.Parse("192.168.1.5")).Should().BeFalse();
    }

    [Fact]
    public async Task CheckAsync_RefusesLocalhost_ByDefault()
    {
        var act = () => CameraSourcePolicy.Default.CheckAsync(new Uri("rtsp://localhost:8554/cam"), CancellationToken.None);

        (await act.Should().ThrowAsync<CameraSourceRefusedException>()).WithMessage("localhost resolves to *loopback*Streams:AllowedSources*");
    }

    [Fact]
    public async Task CheckAsync_ReturnsTheAddresses_WhenAllowed()
    {
        var addresses = await new CameraSourcePolicy(["127.0.0.1"]).CheckAsync(new Uri("http://127.0.0.1:8080/mjpeg"), CancellationToken.None);

        addresses.Should().Equal(IPAddress.Loopback);
    }

    [Fact]
    public void CheckLiteral_RefusesMetadataUrl_WithoutDns()
    {
        CameraSourcePolicy.Default.CheckLiteral(new Uri("http://169.254.169.254/latest/meta-data/")).Should().Contain("metadata");
        CameraSourcePolicy.Default.CheckLiteral(new Uri("rtsp://cam.example.com/live")).Should().BeNull();
    }

    [Fact]
    public void Validate_ReportsBadAndLinkLocalEntries()
    {
        var options = new CameraReaderOptions();
        options.AllowedSources.Add("10.0.0.0/8");
        options.AllowedSources.Add("not a host!");
        options.AllowedSources.Add("169.254.0.0/16");

        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true).Should().BeFalse();

        errors.Select(e => e.ErrorMessage).Should().HaveCount(2)
            .And.Contain(m => m!.Contains("'not a host!'", StringComparison.Ordinal))
            .And.Contain(m => m!.Contains("'169.254.0.0/16' is link-local", StringComparison.Ordinal));
    }
}

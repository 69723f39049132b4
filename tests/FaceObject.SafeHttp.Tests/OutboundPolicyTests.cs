using System.Net;

namespace FaceObject.SafeHttp.Tests;

public sealed class OutboundPolicyTests
{
    private static readonly OutboundPolicy Default = new(NetworkAllowList.Empty);

    [Theory]
    [InlineData("https://example.com/dog.jpg")]
    [InlineData("http://example.com:8080/a?b=c")]
    [InlineData("http://8.8.8.8/x.png")]
    [InlineData("http://localhost/dog.jpg")] // a name: judged after DNS, when the request is made
    public void CheckSubmittedUrl_AcceptsHttpUrls(string url) =>
        Default.CheckSubmittedUrl(url, "image_url").Should().BeNull();

    [Theory]
    [InlineData("ftp://example.com/dog.jpg")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/dog.jpg")]
    [InlineData("not a url")]
    [InlineData("gopher://example.com/")]
    public void CheckSubmittedUrl_RefusesOtherSchemesAndMalformedUrls(string url) =>
        Default.CheckSubmittedUrl(url, "image_url").Should().Contain("absolute http or https URL").And.Contain("image_url");

    [Theory]
    [InlineData("http://127.0.0.1:8080/dog.jpg", "loopback")]
    [InlineData("http://10.1.2.3/dog.jpg", "private")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("http://[::1]/dog.jpg", "loopback")]
    [InlineData("http://[::ffff:192.168.0.1]/dog.jpg", "private")]
    [InlineData("http://[fe80::1]/dog.jpg", "link-local")]
    [InlineData("http://100.100.100.100/dog.jpg", "carrier-grade NAT")]
    public void CheckSubmittedUrl_RefusesLiteralNonPublicAddresses_NamingTheSetting(string url, string kind) =>
        Default.CheckSubmittedUrl(url, "callback_url").Should().Contain(kind).And.Contain("Fetch:AllowedHosts").And.Contain("callback_url");

    [Fact]
    public void CheckSubmittedUrl_AcceptsLiteralAddress_WhenAllowed()
    {
        var policy = new OutboundPolicy(NetworkAllowList.Parse(["127.0.0.1"], out _));

        policy.CheckSubmittedUrl("http://127.0.0.1:9000/dog.jpg", "image_url").Should().BeNull();
        policy.CheckSubmittedUrl("http://127.0.0.2:9000/dog.jpg", "image_url").Should().NotBeNull();
    }

    [Fact]
    public void Permits_AllowsEveryAddressOfAnAllowedName()
    {
        var policy = new OutboundPolicy(NetworkAllowList.Parse(["files.local"], out _));

        policy.Permits("files.local", IPAddress.Parse("192.168.1.20")).Should().BeTrue();
        policy.Permits("other.local", IPAddress.Parse("192.168.1.20")).Should().BeFalse();
        policy.Permits("example.com", IPAddress.Parse("93.184.215.14")).Should().BeTrue();
    }
}

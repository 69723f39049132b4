using System.Net;

namespace FaceObject.SafeHttp.Tests;

public sealed class AddressClassifierTests
{
    [Theory]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.255.255.254", AddressCategory.Loopback)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("10.0.0.1", AddressCategory.Private)]
    [InlineData("10.255.255.255", AddressCategory.Private)]
    [InlineData("172.16.0.1", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("192.168.1.1", AddressCategory.Private)]
    [InlineData("fc00::1", AddressCategory.Private)]
    [InlineData("fd12:3456:789a::1", AddressCategory.Private)]
    [InlineData("fec0::1", AddressCategory.Private)]
    [InlineData("169.254.0.1", AddressCategory.LinkLocal)]
    [InlineData("169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("febf:ffff::1", AddressCategory.LinkLocal)]
    [InlineData("100.64.0.1", AddressCategory.SharedAddressSpace)]
    [InlineData("100.127.255.255", AddressCategory.SharedAddressSpace)]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("0.1.2.3", AddressCategory.Unspecified)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("239.255.255.250", AddressCategory.Multicast)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("255.255.255.255", AddressCategory.Reserved)]
    [InlineData("240.0.0.1", AddressCategory.Reserved)]
    [InlineData("192.0.2.1", AddressCategory.Reserved)]
    [InlineData("198.18.0.1", AddressCategory.Reserved)]
    [InlineData("2001:db8::1", AddressCategory.Reserved)]
    public void Classify_RefusesNonPublicRanges(string address, AddressCategory expected) =>
        AddressClassifier.Classify(IPAddress.Parse(address)).Should().Be(expected);

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    public void Classify_ReturnsPublic_WhenJustOutsideTheRanges(string address) =>
        AddressClassifier.Classify(IPAddress.Parse(address)).Should().Be(AddressCategory.Public);

    [Theory]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::ffff:10.1.2.3", AddressCategory.Private)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.LinkLocal)]
    [InlineData("::ffff:100.64.0.1", AddressCategory.SharedAddressSpace)]
    [InlineData("::ffff:0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("::ffff:224.0.0.1", AddressCategory.Multicast)]
    [InlineData("::127.0.0.1", AddressCategory.Loopback)]
    [InlineData("::192.168.0.1", AddressCategory.Private)]
    [InlineData("64:ff9b::7f00:1", AddressCategory.Loopback)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.LinkLocal)]
    [InlineData("2002:7f00:0001::1", AddressCategory.Loopback)]
    [InlineData("2002:c0a8:0101::1", AddressCategory.Private)]
    public void Classify_JudgesEmbeddedIPv4_WhenIPv6FormCarriesIt(string address, AddressCategory expected) =>
        AddressClassifier.Classify(IPAddress.Parse(address)).Should().Be(expected);

    [Theory]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:0808:0808::1")]
    public void Classify_ReturnsPublic_WhenEmbeddedIPv4IsPublic(string address) =>
        AddressClassifier.Classify(IPAddress.Parse(address)).Should().Be(AddressCategory.Public);

    [Fact]
    public void Describe_NamesTheMetadataService_For169_254_169_254() =>
        AddressClassifier.Describe(AddressCategory.LinkLocal, IPAddress.Parse("169.254.169.254")).Should().Contain("metadata");
}

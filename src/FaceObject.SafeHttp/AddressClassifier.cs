using System.Net;
using System.Net.Sockets;

namespace FaceObject.SafeHttp;

/// <summary>
/// Sorts IP addresses into the categories of <see cref="AddressCategory"/>. IPv6 forms that carry an IPv4 address
/// (IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4
/// <c>2002:AABB:CCDD::/48</c>) are judged by the IPv4 address they carry, so <c>::ffff:127.0.0.1</c> is loopback.
/// Pure and thread-safe.
/// </summary>
public static class AddressClassifier
{
    public static AddressCategory Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => AddressCategory.Reserved,
        };
    }

    /// <summary>A few words for messages: "a loopback address", "a link-local address (the cloud metadata service)".</summary>
    public static string Describe(AddressCategory category, IPAddress? address = null) => category switch
    {
        AddressCategory.Public => "a public address",
        AddressCategory.Loopback => "a loopback address",
        AddressCategory.Private => "a private-network address",
        AddressCategory.LinkLocal when address is not null && IsMetadata(address) => "a link-local address (the cloud metadata service)",
        AddressCategory.LinkLocal => "a link-local address",
        AddressCategory.SharedAddressSpace => "a carrier-grade NAT (shared) address",
        AddressCategory.Unspecified => "an unspecified address",
        AddressCategory.Multicast => "a multicast address",
        _ => "a reserved address",
    };

    private static bool IsMetadata(IPAddress address) =>
        Unwrap(address) is { } v4 && v4.Equals(IPAddress.Parse("169.254.169.254"));

    private static IPAddress? Unwrap(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? address
        : address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedV4(address.GetAddressBytes()) is { } v4 ? v4
        : null;

    private static AddressCategory ClassifyV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return (b[0], b[1], b[2]) switch
        {
            (0, _, _) => AddressCategory.Unspecified,
            (10, _, _) => AddressCategory.Private,
            (100, >= 64 and <= 127, _) => AddressCategory.SharedAddressSpace,
            (127, _, _) => AddressCategory.Loopback,
            (169, 254, _) => AddressCategory.LinkLocal,
            (172, >= 16 and <= 31, _) => AddressCategory.Private,
            (192, 168, _) => AddressCategory.Private,
            (192, 0, 0) or (192, 0, 2) or (198, 51, 100) or (203, 0, 113) => AddressCategory.Reserved,
            (198, 18 or 19, _) => AddressCategory.Reserved,
            ( >= 224 and <= 239, _, _) => AddressCategory.Multicast,
            ( >= 240, _, _) => AddressCategory.Reserved,
            _ => AddressCategory.Public,
        };
    }

    private static AddressCategory ClassifyV6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (EmbeddedV4(b) is { } v4)
        {
            return ClassifyV4(v4);
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressCategory.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressCategory.Loopback;
        }

        return (b[0], b[1]) switch
        {
            (0xFF, _) => AddressCategory.Multicast,
            (0xFE, >= 0x80 and <= 0xBF) => AddressCategory.LinkLocal,
            (0xFE, >= 0xC0) => AddressCategory.Private,
            ( >= 0xFC and <= 0xFD, _) => AddressCategory.Private,
            (0x00, 0x64) when b[2] == 0xFF && b[3] == 0x9B && b[4] == 0x00 && b[5] == 0x01 => AddressCategory.Private, // 64:ff9b:1::/48, local-use NAT64
            (0x01, 0x00) when b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0 => AddressCategory.Reserved, // 100::/64, discard-only
            (0x20, 0x01) when b[2] == 0x0D && b[3] == 0xB8 => AddressCategory.Reserved, // 2001:db8::/32, documentation
            (0x00, _) => AddressCategory.Reserved, // the rest of ::/8 is unassigned
            _ => AddressCategory.Public,
        };
    }

    /// <summary>The IPv4 address an IPv6 address carries, for the forms that make a host connect to it.</summary>
    private static IPAddress? EmbeddedV4(byte[] b)
    {
        var zeroPrefix = b.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;

        // ::ffff:a.b.c.d (mapped)
        if (zeroPrefix && b[10] == 0xFF && b[11] == 0xFF)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        // ::a.b.c.d (IPv4-compatible, deprecated), but not :: or ::1 themselves
        if (zeroPrefix && b[10] == 0 && b[11] == 0 && (b[12] | b[13]) != 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        // 64:ff9b::/96 (well-known NAT64 prefix)
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        // 2002:AABB:CCDD::/48 (6to4)
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b.AsSpan(2, 4));
        }

        return null;
    }
}

namespace FaceObject.SafeHttp;

/// <summary>What kind of network an IP address belongs to; only <see cref="Public"/> is reachable by default.</summary>
public enum AddressCategory
{
    Public,

    /// <summary>127.0.0.0/8, ::1.</summary>
    Loopback,

    /// <summary>10/8, 172.16/12, 192.168/16, fc00::/7 (unique local), fec0::/10 (old site-local).</summary>
    Private,

    /// <summary>169.254/16 (including the cloud metadata address 169.254.169.254), fe80::/10.</summary>
    LinkLocal,

    /// <summary>100.64/10, the carrier-grade NAT range shared inside a provider's network.</summary>
    SharedAddressSpace,

    /// <summary>0.0.0.0/8 and ::, which reach the local host on many systems.</summary>
    Unspecified,

    /// <summary>224/4, ff00::/8.</summary>
    Multicast,

    /// <summary>Ranges that are not routable on the internet: 240/4 (with broadcast), 192.0.0/24, 198.18/15, the documentation prefixes, 100::/64.</summary>
    Reserved,
}

using System.Net;

namespace FaceObject.SafeHttp;

/// <summary>
/// The exceptions to the address policy (<c>Fetch:AllowedHosts</c>): host names (matched exactly, case-insensitive;
/// every address they resolve to is allowed), IP addresses and CIDR ranges (the address connected to must be in one).
/// Immutable and thread-safe.
/// </summary>
public sealed class NetworkAllowList
{
    private readonly HashSet<string> _hosts;
    private readonly IPNetwork[] _networks;

    private NetworkAllowList(HashSet<string> hosts, IPNetwork[] networks)
    {
        _hosts = hosts;
        _networks = networks;
    }

    public static NetworkAllowList Empty { get; } = new(new HashSet<string>(StringComparer.OrdinalIgnoreCase), []);

    public bool IsEmpty => _hosts.Count == 0 && _networks.Length == 0;

    /// <summary>Parses entries; <paramref name="errors"/> names each entry that is neither a host name, an IP nor a CIDR.</summary>
    public static NetworkAllowList Parse(IEnumerable<string> entries, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var networks = new List<IPNetwork>();
        var problems = new List<string>();
        foreach (var raw in entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var entry = raw.Trim('[', ']');
            if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(Normalize(address), address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? 32 : 128));
            }
            else if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (IPNetwork.TryParse(entry, out var network))
                {
                    networks.Add(network);
                }
                else
                {
                    problems.Add($"'{raw}' is not a valid CIDR range (expected e.g. 10.0.0.0/8 or fd00::/8)");
                }
            }
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns)
            {
                hosts.Add(entry.TrimEnd('.'));
            }
            else
            {
                problems.Add($"'{raw}' is neither a host name, an IP address nor a CIDR range");
            }
        }

        errors = problems;
        return new NetworkAllowList(hosts, [.. networks]);
    }

    /// <summary>Whether the host name itself is allowed, whatever it resolves to.</summary>
    public bool AllowsHost(string host) => _hosts.Count > 0 && _hosts.Contains(host.TrimEnd('.'));

    public bool AllowsAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        foreach (var network in _networks)
        {
            if (network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>IPv4-mapped IPv6 addresses are compared as the IPv4 address they are.</summary>
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

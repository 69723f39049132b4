using System.Net;
using FaceObject.SafeHttp;
using Microsoft.Extensions.Options;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Which camera hosts may be reached (<c>Streams:AllowedSources</c>), apart from the <c>image_url</c> rules: cameras
/// usually sit on private networks. By default private and public addresses are allowed: a public camera reaches
/// nothing inside that a private one could not. Loopback (and the other special ranges: CGNAT, unspecified,
/// multicast, reserved) only when an entry covers it. Link-local addresses, which include the cloud metadata
/// service 169.254.169.254, are refused whatever the list says. Every address a host resolves to must pass.
/// Immutable and thread-safe.
/// </summary>
public sealed class CameraSourcePolicy
{
    private const string PrivateWord = "private";
    private const string PublicWord = "public";

    private readonly NetworkAllowList _listed;
    private readonly bool _private;
    private readonly bool _public;
    private readonly string _accepted;

    public CameraSourcePolicy(IOptions<CameraReaderOptions> options)
        : this(options?.Value.AllowedSources ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    /// <summary>Entries as in <see cref="CameraReaderOptions.AllowedSources"/>; invalid entries are ignored (validation reports them at start).</summary>
    public CameraSourcePolicy(IEnumerable<string> allowedSources)
    {
        ArgumentNullException.ThrowIfNull(allowedSources);
        var entries = Split(allowedSources).ToList();
        if (entries.Count == 0)
        {
            entries = [PrivateWord, PublicWord];
        }

        _private = entries.Contains(PrivateWord, StringComparer.OrdinalIgnoreCase);
        _public = entries.Contains(PublicWord, StringComparer.OrdinalIgnoreCase);
        _listed = NetworkAllowList.Parse(entries.Where(e => !IsWord(e)), out _);
        _accepted = string.Join(", ", entries.Select(e => e.ToLowerInvariant() switch
        {
            PrivateWord => "private networks (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7)",
            PublicWord => "public addresses",
            _ => e,
        }));
    }

    /// <summary>The default policy: private and public addresses.</summary>
    public static CameraSourcePolicy Default { get; } = new([]);

    /// <summary>What the configured list accepts, for messages.</summary>
    public string Accepted => _accepted;

    /// <summary>Whether a connection to <paramref name="address"/>, reached by the name <paramref name="host"/>, may be made.</summary>
    public bool Permits(string host, IPAddress address) => Refusal(host, address) is null;

    /// <summary>Why a connection to <paramref name="address"/> (reached by <paramref name="host"/>) is refused, or null when it is allowed.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(address);
        host = host.Trim('[', ']');
        var category = AddressClassifier.Classify(address);
        var allowed = category switch
        {
            AddressCategory.LinkLocal => false,
            AddressCategory.Private when _private => true,
            AddressCategory.Public when _public => true,
            _ => _listed.AllowsHost(host) || _listed.AllowsAddress(address),
        };
        if (allowed)
        {
            return null;
        }

        var what = (IPAddress.TryParse(host, out _) ? $"{address} is " : $"{host} resolves to {address}, ")
            + AddressClassifier.Describe(category, address);
        return category == AddressCategory.LinkLocal
            ? $"{what}: camera URLs may never point at link-local addresses (169.254.0.0/16, fe80::/10), which include the cloud metadata service."
            : $"{what}, which the server setting {CameraReaderOptions.Section}:AllowedSources does not allow. Allowed: {_accepted}"
                + (category == AddressCategory.Loopback ? " (loopback only when listed, e.g. 127.0.0.1)." : ".");
    }

    /// <summary>
    /// Checks the URL's host without waiting on DNS: a literal IP address the policy refuses. Returns the refusal,
    /// or null when the host is a name (resolved and checked by <see cref="CheckAsync"/> when the camera is opened)
    /// or an allowed address.
    /// </summary>
    public string? CheckLiteral(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.Host.Trim('[', ']');
        return IPAddress.TryParse(host, out var address) ? Refusal(host, address) : null;
    }

    /// <summary>
    /// Resolves the URL's host and checks every address it resolves to. Returns the addresses (all allowed) in the
    /// resolver's order; throws <see cref="CameraSourceRefusedException"/> naming the first refused one, and
    /// <see cref="System.Net.Sockets.SocketException"/> when the name does not resolve.
    /// </summary>
    public async Task<IReadOnlyList<IPAddress>> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
        {
            if (Refusal(host, address) is { } refusal)
            {
                throw new CameraSourceRefusedException(refusal);
            }
        }

        return addresses;
    }

    /// <summary>The entries of <see cref="CameraReaderOptions.AllowedSources"/> that are wrong, with why.</summary>
    internal static IEnumerable<string> ParseErrors(IEnumerable<string> allowedSources)
    {
        var entries = Split(allowedSources).Where(e => !IsWord(e)).ToList();
        NetworkAllowList.Parse(entries, out var errors);
        foreach (var error in errors)
        {
            yield return error + " (or the words 'private' and 'public')";
        }

        foreach (var entry in entries)
        {
            if ((IPAddress.TryParse(entry.Trim('[', ']'), out var address) || (IPNetwork.TryParse(entry, out var network) && (address = network.BaseAddress) is not null))
                && AddressClassifier.Classify(address) == AddressCategory.LinkLocal)
            {
                yield return $"'{entry}' is link-local; camera URLs may never point at link-local addresses (the cloud metadata service lives there)";
            }
        }
    }

    private static IEnumerable<string> Split(IEnumerable<string> entries) =>
        entries.SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool IsWord(string entry) =>
        entry.Equals(PrivateWord, StringComparison.OrdinalIgnoreCase) || entry.Equals(PublicWord, StringComparison.OrdinalIgnoreCase);
}

using System.Net;
using Microsoft.Extensions.Options;

namespace FaceObject.SafeHttp;

/// <summary>
/// Which URLs and addresses outbound requests may go to. Only http and https; only public addresses unless
/// <c>Fetch:AllowedHosts</c> names the host or covers the address. The API uses <see cref="CheckSubmittedUrl"/>
/// at submit (syntax and literal IPs only, so submitting never waits on DNS); the real decision is
/// <see cref="Permits"/>, made by <see cref="SafeHttpClient"/> on every address it connects to. Thread-safe.
/// </summary>
public sealed class OutboundPolicy
{
    /// <summary>Longest URL accepted from a client.</summary>
    public const int MaxUrlLength = 2048;

    private readonly NetworkAllowList _allowed;

    public OutboundPolicy(IOptions<FetchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = NetworkAllowList.Parse(options.Value.AllowedHosts, out _);
    }

    public OutboundPolicy(NetworkAllowList allowed) => _allowed = allowed;

    /// <summary>Whether a connection to <paramref name="address"/>, reached by the name <paramref name="host"/>, may be made.</summary>
    public bool Permits(string host, IPAddress address) =>
        AddressClassifier.Classify(address) == AddressCategory.Public || _allowed.AllowsHost(host) || _allowed.AllowsAddress(address);

    /// <summary>
    /// Checks a URL a client sent in <paramref name="field"/>: absolute http(s) with a host, not too long, and not a
    /// literal IP address the policy refuses. Returns null when acceptable, else a message for the client.
    /// Host names are only resolved when the request is made.
    /// </summary>
    public string? CheckSubmittedUrl(string? url, string field)
    {
        if (url is null)
        {
            return null;
        }

        if (url.Length > MaxUrlLength)
        {
            return $"'{field}' is {url.Length} characters long; at most {MaxUrlLength} are accepted.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return $"'{field}' must be an absolute http or https URL such as https://example.com/photo.jpg; got '{Shorten(url)}'.";
        }

        var host = uri.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address) && !Permits(host, address))
        {
            return $"'{field}' points at {address}, {AddressClassifier.Describe(AddressClassifier.Classify(address), address)}. "
                + "Requests to loopback, private, link-local, shared (CGNAT), multicast and metadata addresses are refused; "
                + $"for a local setup, add the host to the server setting {FetchOptions.Section}:AllowedHosts.";
        }

        return null;
    }

    internal static string RefusalMessage(string host, IPAddress address, AddressCategory category) =>
        (IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"{address} is " : $"{host} resolves to {address}, ")
        + $"{AddressClassifier.Describe(category, address)}: requests to loopback, private, link-local, shared (CGNAT), "
        + $"multicast and metadata addresses are refused (the server setting {FetchOptions.Section}:AllowedHosts can allow named hosts).";

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}

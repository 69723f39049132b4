using System.Globalization;
using FaceObject.ServiceDefaults.Configuration;

namespace FaceObject.Worker;

/// <summary>
/// The worker's probe and metrics address from <c>Worker:MetricsHost</c> (default every interface) and
/// <c>Worker:MetricsPort</c> (default 0, the OS picks). A bad value is a configuration error naming the key, so the
/// host ends with one line and exit code 2 rather than a stack trace.
/// </summary>
internal static class MetricsEndpoint
{
    public const string PortKey = "Worker:MetricsPort";
    public const string HostKey = "Worker:MetricsHost";

    /// <exception cref="HostConfigurationException">Either setting is not usable.</exception>
    public static string Url(IConfiguration configuration)
    {
        var port = Port(configuration[PortKey]);
        var host = Host(configuration[HostKey]);
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
    }

    private static int Port(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return 0;
        }

        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= ushort.MaxValue
            ? port
            : throw new HostConfigurationException($"{PortKey} must be a port number 0-65535 (got '{configured}'); 0 lets the OS pick.");
    }

    private static string Host(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return "0.0.0.0";
        }

        // Kestrel's wildcards stand for every interface; anything else must be a host name or an IP address.
        return configured switch
        {
            "*" or "+" => configured,
            _ => Uri.CheckHostName(configured) switch
            {
                UriHostNameType.IPv6 => $"[{configured.Trim('[', ']')}]",
                UriHostNameType.Dns or UriHostNameType.IPv4 => configured,
                _ => throw new HostConfigurationException(
                    $"{HostKey} must be a host name, an IP address or * (got '{configured}')."),
            },
        };
    }
}

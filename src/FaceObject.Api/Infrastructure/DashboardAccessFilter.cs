using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace FaceObject.Api.Infrastructure;

/// <summary>
/// Who may see the Hangfire dashboard: with <c>Dashboard:Username</c> and <c>Dashboard:Password</c> set, anyone
/// with those credentials (HTTP basic auth, from anywhere) or with a valid API key when <c>Api:Keys</c> is set;
/// without credentials, only requests made on this machine and not relayed by a proxy.
/// </summary>
internal sealed class DashboardAccessFilter(DashboardOptionsSettings settings, ApiKeys keys) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (!settings.HasCredentials)
        {
            return IsLocal(http);
        }

        if (HasValidCredentials(http.Request.Headers.Authorization.ToString())
            || (keys.Enabled && keys.IsValid(ApiKeys.Presented(http.Request))))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"FaceObject dashboard\", charset=\"UTF-8\"";
        return false;
    }

    private bool HasValidCredentials(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var separator = decoded.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && FixedTimeEquals(decoded[..separator], settings.Username)
            && FixedTimeEquals(decoded[(separator + 1)..], settings.Password);
    }

    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>
    /// A reverse proxy on the same machine connects from loopback on behalf of anyone, so a request carrying
    /// forwarding headers is never local, whatever address it comes from.
    /// </summary>
    private static bool IsLocal(HttpContext http) =>
        !http.Request.Headers.ContainsKey("X-Forwarded-For")
        && !http.Request.Headers.ContainsKey("Forwarded")
        && http.Connection.RemoteIpAddress is { } remote
        && (IPAddress.IsLoopback(remote) || remote.Equals(http.Connection.LocalIpAddress));
}

/// <summary><c>Dashboard:*</c>.</summary>
internal sealed class DashboardOptionsSettings
{
    public const string Section = "Dashboard";

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Viewers may look but not retry or delete jobs.</summary>
    public bool ReadOnly { get; set; }

    public bool HasCredentials => Username.Length > 0 && Password.Length > 0;
}

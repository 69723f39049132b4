using System.Net;

namespace FaceObject.Api.Infrastructure;

/// <summary>Whether a request was made on this machine by a client on this machine.</summary>
internal static class LocalRequest
{
    /// <summary>
    /// A reverse proxy on the same machine connects from loopback on behalf of anyone, so a request carrying
    /// forwarding headers is never local, whatever address it comes from.
    /// </summary>
    public static bool IsLocal(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return !http.Request.Headers.ContainsKey("X-Forwarded-For")
            && !http.Request.Headers.ContainsKey("Forwarded")
            && http.Connection.RemoteIpAddress is { } remote
            && (IPAddress.IsLoopback(remote) || remote.Equals(http.Connection.LocalIpAddress));
    }
}

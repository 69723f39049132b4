using System.Net;
using System.Net.Sockets;

namespace FaceObject.SafeHttp;

/// <summary>
/// The connect step of a guarded <see cref="SocketsHttpHandler"/> (its <c>ConnectCallback</c>): resolves the host
/// itself, keeps the addresses <c>permits</c> accepts and connects only to one of those, so the address checked is
/// the address used (DNS rebinding and redirects cannot slip past). Shared by <see cref="SafeHttpClient"/> (the
/// <c>Fetch</c> policy) and the camera readers (the <c>Streams:AllowedSources</c> policy). Thread-safe.
/// </summary>
public static class GuardedConnect
{
    /// <summary>
    /// Resolves, vets and connects; tries each permitted address in the resolver's order. When no address is
    /// permitted, throws what <paramref name="refuse"/> makes of the first one (a permanent refusal).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(
        DnsEndPoint endpoint,
        Func<string, IPAddress, bool> permits,
        Func<string, IPAddress, Exception> refuse,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(permits);
        ArgumentNullException.ThrowIfNull(refuse);
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var permitted = addresses.Where(a => permits(host, a)).ToList();
        if (permitted.Count == 0)
        {
            var first = addresses.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
            throw refuse(host, first);
        }

        SocketException? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}

using System.Net;
using Microsoft.Extensions.Options;

namespace FaceObject.SafeHttp;

/// <summary>
/// The one HttpClient for URLs clients give us. Its connect step resolves the host itself, checks every address with
/// <see cref="OutboundPolicy"/> and connects only to an address that passed, so the address checked is the address
/// used: DNS rebinding (a name that resolves differently on a second lookup) cannot slip past, and neither can a
/// redirect, since every new connection, whichever hop made it, goes through the same step. No proxy is used (a
/// proxy would make the proxy's address the one checked). Callers set their own deadline with a cancellation token;
/// <see cref="HttpClient.Timeout"/> is off. Thread-safe; one per process.
/// </summary>
public sealed class SafeHttpClient : IDisposable
{
    private readonly SocketsHttpHandler _redirecting;
    private readonly SocketsHttpHandler _direct;

    public SafeHttpClient(OutboundPolicy policy, IOptions<FetchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _redirecting = CreateHandler(policy, settings, settings.MaxRedirects);
        _direct = CreateHandler(policy, settings, 0);
        Client = CreateClient(_redirecting);
        NoRedirects = CreateClient(_direct);
    }

    /// <summary>Follows up to <c>Fetch:MaxRedirects</c> redirects (http and https only), each hop checked again: for fetching.</summary>
    public HttpClient Client { get; }

    /// <summary>Never follows a redirect (a 3xx is the answer): for POSTs, which a redirect would turn into GETs.</summary>
    public HttpClient NoRedirects { get; }

    /// <summary>The policy refusal behind a failed request, if that is why it failed.</summary>
    public static OutboundRefusedException? FindRefusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    public void Dispose()
    {
        Client.Dispose();
        NoRedirects.Dispose();
        _redirecting.Dispose();
        _direct.Dispose();
    }

    private static SocketsHttpHandler CreateHandler(OutboundPolicy policy, FetchOptions settings, int maxRedirects) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = maxRedirects > 0,
        MaxAutomaticRedirections = Math.Max(1, maxRedirects),
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = settings.Timeout,

        // Connections are re-made (and so re-resolved and re-checked) at least this often.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
    };

    private static HttpClient CreateClient(SocketsHttpHandler handler)
    {
        var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("FaceObject/1.0");
        return client;
    }

    internal static ValueTask<Stream> ConnectAsync(OutboundPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken) =>
        GuardedConnect.ConnectAsync(
            endpoint,
            policy.Permits,
            (host, address) => new OutboundRefusedException(host, address, AddressClassifier.Classify(address)),
            cancellationToken);
}

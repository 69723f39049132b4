using System.Net;
using FaceObject.SafeHttp;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// The HttpClient for MJPEG and snapshot cameras: every connection, redirects included, goes through
/// <see cref="GuardedConnect"/> with <see cref="CameraSourcePolicy"/>, so only addresses the policy allows are
/// connected to (the address checked is the address used). No proxy, no cookies, no overall timeout (an MJPEG
/// response never ends; the reader's watchdog cancels a silent one). Thread-safe; one per factory.
/// </summary>
internal sealed class CameraHttp : IDisposable
{
    private const int MaxRedirects = 3;

    private readonly SocketsHttpHandler _handler;

    public CameraHttp(CameraSourcePolicy policy, TimeSpan connectTimeout)
    {
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = MaxRedirects,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = connectTimeout,

            // Connections are re-made (and so re-resolved and re-checked) at least this often.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, cancellationToken) => GuardedConnect.ConnectAsync(
                context.DnsEndPoint,
                policy.Permits,
                (host, address) => new CameraSourceRefusedException(policy.Refusal(host, address) ?? $"{host} ({address}) is not allowed."),
                cancellationToken),
        };
        Client = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("FaceObject/1.0");
    }

    public HttpClient Client { get; }

    /// <summary>
    /// Sends a GET and returns the response once its headers arrived, or throws <see cref="CameraSourceException"/>
    /// explaining why not: refused by the policy or a 4xx status (permanent), anything else (transient).
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await Client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is CameraSourceRefusedException refused)
                {
                    throw new CameraSourceException(refused.Message, permanent: true, refused);
                }
            }

            throw new CameraSourceException($"Could not reach the camera: {e.Message}", permanent: false, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = (int)response.StatusCode;
        var text = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        response.Dispose();
        throw status is >= 400 and < 500
            ? new CameraSourceException($"The camera answered {text}.", permanent: true)
            : new CameraSourceException($"The camera answered {text}; retrying.", permanent: false);
    }

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }
}

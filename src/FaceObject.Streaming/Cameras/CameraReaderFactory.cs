using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// Starts camera readers: RTSP through ffmpeg, MJPEG and snapshots over the policy-checked HTTP client. Every
/// connection attempt checks the source against <see cref="CameraSourcePolicy"/> again (DNS can change); a refusal
/// before the first frame fails the reader for good. Callers that want to refuse a URL up front (with a 4xx) call
/// <see cref="CameraSourcePolicy.CheckAsync"/> first. Thread-safe; one per process.
/// </summary>
public sealed class CameraReaderFactory : IDisposable
{
    private readonly CameraReaderOptions _options;
    private readonly CameraSourcePolicy _policy;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider _time;
    private readonly CameraHttp _http;

    public CameraReaderFactory(IOptions<CameraReaderOptions> options, CameraSourcePolicy policy, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _policy = policy;
        _loggers = loggerFactory;
        _time = timeProvider;
        _http = new CameraHttp(policy, _options.ConnectTimeout);
    }

    /// <summary>
    /// Starts reading <paramref name="source"/> in the background; the caller owns the reader and disposes it to
    /// stop. <paramref name="snapshotFps"/> is the polling rate of a snapshot source (ignored for the others, which
    /// deliver at the camera's rate). <paramref name="cancellationToken"/>, when it fires, stops the reading as
    /// disposal would (the reader must still be disposed).
    /// </summary>
    public ICameraReader Start(CameraSource source, double snapshotFps = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind == CameraSourceKind.Snapshot && !(snapshotFps is > 0 and <= 120))
        {
            throw new ArgumentOutOfRangeException(nameof(snapshotFps), snapshotFps, "A snapshot source is polled at more than 0 and at most 120 frames per second.");
        }

        IFrameSource frames = source.Kind switch
        {
            CameraSourceKind.Rtsp => new FfmpegFrameSource(
                _options.FfmpegPath,
                ct => RtspInputAsync(source.Url, ct),
                line => RedactLine(line, source.Url),
                _loggers.CreateLogger<FfmpegFrameSource>()),
            CameraSourceKind.Mjpeg => new CheckedFrameSource(_policy, source.Url, new MjpegFrameSource(_http, source.Url)),
            _ => new CheckedFrameSource(_policy, source.Url, new SnapshotFrameSource(_http, source.Url, snapshotFps, _time)),
        };
        var stall = source.Kind == CameraSourceKind.Snapshot
            ? TimeSpan.FromTicks(Math.Max(_options.StallTimeout.Ticks, TimeSpan.FromSeconds(3 / snapshotFps).Ticks))
            : _options.StallTimeout;
        return Start(source, frames, stall, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Starts a reader over any frame source: the seam for tests and for an in-process reader later.</summary>
    internal ICameraReader Start(CameraSource source, IFrameSource frames, TimeSpan stallTimeout, CancellationToken cancellationToken = default)
    {
        var reader = new CameraReader(source, frames, _options, stallTimeout, _time, _loggers.CreateLogger<CameraReader>(), cancellationToken);
        reader.Start();
        return reader;
    }

    /// <summary>
    /// The ffmpeg input for an RTSP URL, checked now. For <c>rtsp://</c> the host is replaced by the checked address,
    /// so ffmpeg cannot resolve it to another (DNS rebinding); <c>rtsps://</c> keeps the name, which TLS needs.
    /// </summary>
    private async Task<IReadOnlyList<string>> RtspInputAsync(Uri url, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await _policy.CheckAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (CameraSourceRefusedException e)
        {
            throw new CameraSourceException(e.Message, permanent: true, e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new CameraSourceException($"The camera's host name '{url.Host}' does not resolve: {e.Message}", permanent: false, e);
        }

        var input = url;
        if (url.Scheme == "rtsp" && !IPAddress.TryParse(url.Host.Trim('[', ']'), out _))
        {
            input = new UriBuilder(url) { Host = addresses[0].ToString() }.Uri;
        }

        // ffmpeg probes a new stream for up to 5 s by default before its first frame; cameras announce their H.264
        // parameters in the session description, so half a second is plenty and a reconnect is seconds faster.
        return ["-rtsp_transport", "tcp", "-analyzeduration", "500000", "-i", input.AbsoluteUri];
    }

    private static string RedactLine(string line, Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? line : line.Replace(url.UserInfo, url.UserInfo.Split(':', 2)[0] + ":***", StringComparison.Ordinal);
}

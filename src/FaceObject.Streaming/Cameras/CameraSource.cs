using System.Diagnostics.CodeAnalysis;

namespace FaceObject.Streaming.Cameras;

/// <summary>
/// A camera URL and how to read it. Equal sources share one reader. <see cref="ToString"/> hides the password of a
/// URL's user info, so a source can be logged and shown in a status.
/// </summary>
public sealed record CameraSource(Uri Url, CameraSourceKind Kind)
{
    /// <summary>Longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>What <see cref="TryParse"/> accepts, for messages.</summary>
    public const string Accepted =
        "rtsp:// or rtsps:// URLs (RTSP cameras), http:// or https:// URLs of an MJPEG stream (multipart/x-mixed-replace), "
        + "or http:// or https:// URLs answering one JPEG/PNG per request (snapshot URLs)";

    /// <summary>The URL without its password: safe for logs, statuses and messages.</summary>
    public string Redacted => Redact(Url);

    /// <summary>
    /// Parses a client's URL: <c>rtsp</c>/<c>rtsps</c> is <see cref="CameraSourceKind.Rtsp"/>; <c>http</c>/<c>https</c>
    /// is <see cref="CameraSourceKind.Snapshot"/> when <paramref name="snapshot"/> is set (the WebSocket's
    /// <c>snapshotUrl</c>), else <see cref="CameraSourceKind.Mjpeg"/>. Syntax only: <see cref="CameraSourcePolicy"/>
    /// decides whether the host may be reached.
    /// </summary>
    /// <param name="error">Why the URL was refused and what is accepted; null on success.</param>
    public static bool TryParse(string? url, bool snapshot, [NotNullWhen(true)] out CameraSource? source, [NotNullWhen(false)] out string? error)
    {
        source = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            error = $"The camera URL is empty. Accepted: {Accepted}.";
            return false;
        }

        if (url.Length > MaxUrlLength)
        {
            error = $"The camera URL is {url.Length} characters long; at most {MaxUrlLength} are accepted.";
            return false;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            error = $"'{Shorten(url)}' is not an absolute URL with a host. Accepted: {Accepted}.";
            return false;
        }

        CameraSourceKind? kind = uri.Scheme switch
        {
            "rtsp" or "rtsps" when snapshot => null,
            "rtsp" or "rtsps" => CameraSourceKind.Rtsp,
            "http" or "https" => snapshot ? CameraSourceKind.Snapshot : CameraSourceKind.Mjpeg,
            _ => null,
        };
        if (kind is null)
        {
            error = snapshot
                ? $"A snapshot URL must be http:// or https://; got the scheme '{uri.Scheme}'."
                : $"The scheme '{uri.Scheme}' is not a camera source. Accepted: {Accepted}.";
            return false;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{Shorten(url)}' has no host. Accepted: {Accepted}.";
            return false;
        }

        source = new CameraSource(uri, kind.Value);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing <see cref="ArgumentException"/> with the same message.</summary>
    public static CameraSource Parse(string? url, bool snapshot = false) =>
        TryParse(url, snapshot, out var source, out var error) ? source : throw new ArgumentException(error, nameof(url));

    public override string ToString() => $"{Kind} {Redacted}";

    internal static string Redact(Uri url)
    {
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return url.OriginalString;
        }

        var user = url.UserInfo.Split(':', 2)[0];
        return new UriBuilder(url) { UserName = user, Password = "***" }.Uri.ToString();
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}

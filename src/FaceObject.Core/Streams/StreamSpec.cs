namespace FaceObject.Core.Streams;

/// <summary>
/// What a stream is: one camera, read by one worker at a time, detected with one model at <paramref name="Fps"/> frames a
/// second on the newest frame only. Immutable once made; one stream per source URL (<see cref="SourceKey"/>).
/// </summary>
/// <param name="Id">The stream's id, e.g. <c>str_…</c>.</param>
/// <param name="Url">The camera's URL; may hold credentials, so it is never logged or returned whole (<see cref="RedactedUrl"/>).</param>
/// <param name="Kind">How the camera is read.</param>
/// <param name="Model">A configured detector key.</param>
/// <param name="Fps">Detections a second.</param>
/// <param name="Crop">The part of the frame to detect, or null for all of it.</param>
/// <param name="Stability">When a tracked object becomes an event.</param>
/// <param name="CallbackUrl">Where track events are POSTed, or null.</param>
/// <param name="Origin">Who made it, which decides when it ends.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="Pipeline">The pipeline run once per stable track (docs/pipelines.md), whose detect model is <paramref name="Model"/>; null for none.</param>
public sealed record StreamSpec(
    string Id,
    Uri Url,
    StreamSourceKind Kind,
    string Model,
    double Fps,
    CropRegion? Crop,
    StreamStability Stability,
    Uri? CallbackUrl,
    StreamOrigin Origin,
    DateTimeOffset CreatedAt,
    string? Pipeline = null)
{
    /// <summary>The key that makes one reader per camera: the URL as given, minus a trailing slash, case-folded scheme and host.</summary>
    public string SourceKey => SourceKeyOf(Url);

    /// <summary>The URL with any user name and password replaced by <c>***</c>.</summary>
    public string RedactedUrl => Redact(Url);

    public static string SourceKeyOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped).TrimEnd('/');
    }

    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = "***", Password = "" }.Uri.ToString();
    }

    /// <summary>Whether a second request for the same camera asks for the same detection, so it can share this stream.</summary>
    public bool SameDetectionAs(StreamSpec other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Kind == other.Kind && Model == other.Model && Pipeline == other.Pipeline && Math.Abs(Fps - other.Fps) < 1e-9 && Crop == other.Crop && Stability == other.Stability;
    }
}

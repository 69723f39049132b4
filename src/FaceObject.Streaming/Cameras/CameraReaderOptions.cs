using System.ComponentModel.DataAnnotations;

namespace FaceObject.Streaming.Cameras;

/// <summary><c>Streams:*</c>: how cameras are read and which of them may be reached.</summary>
public sealed class CameraReaderOptions : IValidatableObject
{
    public const string Section = "Streams";

    /// <summary>
    /// No frame for this long marks a live camera <c>Stalled</c> and restarts its reader. Snapshot sources wait at
    /// least three polling intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The longest a connection attempt may take to deliver its first frame before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first wait before a reconnect; doubled after each failed attempt up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The longest wait between reconnects: a camera that comes back streams again within about this plus ffmpeg's
    /// connect (about a second). An attempt on a dead camera is one short-lived ffmpeg that is refused at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The ffmpeg executable for RTSP (a name on PATH or a full path).</summary>
    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Which camera hosts may be reached: host names, IP addresses, CIDR ranges, and the words <c>private</c> (10/8,
    /// 172.16/12, 192.168/16, fc00::/7) and <c>public</c> (internet addresses). Empty means <c>private</c> and
    /// <c>public</c>; a list replaces that default. Loopback is reached only when listed; link-local addresses
    /// (169.254/16 with the cloud metadata service, fe80::/10) never. See <see cref="CameraSourcePolicy"/>.
    /// </summary>
    public IList<string> AllowedSources { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InitialBackoff > MaxBackoff)
        {
            yield return new ValidationResult(
                $"{Section}:InitialBackoff ({InitialBackoff}) must not exceed {Section}:MaxBackoff ({MaxBackoff}).",
                [nameof(InitialBackoff), nameof(MaxBackoff)]);
        }

        foreach (var error in CameraSourcePolicy.ParseErrors(AllowedSources))
        {
            yield return new ValidationResult($"{Section}:AllowedSources: {error}.", [nameof(AllowedSources)]);
        }
    }
}

using System.ComponentModel.DataAnnotations;

namespace FaceObject.Storage.Liveness;

/// <summary>
/// <c>Liveness:*</c>: how fast a processing host that died (killed, out of memory, its machine gone) is noticed.
/// Each processing host keeps a key alive in Redis; when it lapses, the jobs the host had fetched go back to their
/// queues and its task leases stop counting, so another worker runs those tasks within seconds instead of after
/// Hangfire's invisibility timeout.
/// </summary>
public sealed class LivenessOptions
{
    public const string Section = "Liveness";

    /// <summary>How often a processing host renews its key. Each beat is one Redis command.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Beat { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a host's key outlives its last beat: the time from a host's death to its work being taken over.
    /// Keep it a few beats long, so a host stalled by a long GC pause or a slow Redis is not declared dead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>How often each processing host looks for fetched jobs whose host has died.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(3);
}

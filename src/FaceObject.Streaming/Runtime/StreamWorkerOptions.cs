using System.ComponentModel.DataAnnotations;

namespace FaceObject.Streaming.Runtime;

/// <summary>How a stream worker takes and keeps streams (section <c>Streams</c>, shared with the camera readers' settings).</summary>
public sealed class StreamWorkerOptions : IValidatableObject
{
    public const string Section = "Streams";

    /// <summary>The most streams this process reads at once; the rest wait for another worker.</summary>
    [Range(1, 1000)]
    public int Capacity { get; set; } = 16;

    /// <summary>
    /// How long a stream stays this worker's without a renewal. A killed worker's streams are taken over this long
    /// after its last renewal, plus up to <see cref="ClaimInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "00:10:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often the leases are renewed; an owner that fails to renew before its lease runs out stops that stream at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:05:00")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often an idle worker looks for unowned streams (it is also woken when streams are added or released, but
    /// nothing announces a dead owner's lapsed lease, so this bounds a take-over beyond the lease; one small script).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ClaimInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a stream's status (state and figures) is written and sent to followers while nothing changes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the latest frame (plain and annotated JPEG) is stored for <c>GET /api/streams/{id}/frame</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan FrameStoreInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RenewInterval * 2 > LeaseDuration)
        {
            yield return new ValidationResult(
                $"Streams:RenewInterval ({RenewInterval}) must be at most half of Streams:LeaseDuration ({LeaseDuration}), or one slow renewal loses the stream.",
                [nameof(RenewInterval)]);
        }
    }
}

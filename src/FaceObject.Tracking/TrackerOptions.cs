using System.ComponentModel.DataAnnotations;

using FaceObject.Core.Streams;

namespace FaceObject.Tracking;

/// <summary>
/// The tracker's settings (section <c>Tracking</c>). The thresholds are ByteTrack's defaults; times are in seconds
/// rather than frames, because our frame rate is the detection rate, which each stream and video chooses.
/// </summary>
public sealed record TrackerOptions
{
    public const string Section = "Tracking";

    /// <summary>Detections at or above this score are matched first, against every track; below it, only to tracks already followed.</summary>
    [Range(0.0, 1.0)]
    public float HighScore { get; set; } = 0.5f;

    /// <summary>Detections below this score are ignored.</summary>
    [Range(0.0, 1.0)]
    public float LowScore { get; set; } = 0.1f;

    /// <summary>An unmatched detection starts a new track only at or above this score.</summary>
    [Range(0.0, 1.0)]
    public float NewTrackScore { get; set; } = 0.6f;

    /// <summary>The least overlap (IoU) at which a high-score detection continues a track.</summary>
    [Range(0.01, 1.0)]
    public float MatchIoU { get; set; } = 0.2f;

    /// <summary>How long a track that is no longer seen is kept, so an object hidden briefly keeps its id.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan LostTrackBuffer { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A track is stable (and raises <see cref="TrackEventKind.New"/>) once matched in at least this many detected frames...</summary>
    [Range(1, 1000)]
    public int StableFrames { get; set; } = 3;

    /// <summary>...with a median score over its last frames of at least this.</summary>
    [Range(0.0, 1.0)]
    public float StableMedianScore { get; set; } = 0.5f;

    /// <summary>A stable object still in view raises <see cref="TrackEventKind.Update"/> at most this often (and whenever its best score rises).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(1);
}

using System.ComponentModel.DataAnnotations;

namespace FaceObject.Storage.Streams;

/// <summary>The stream store's settings (section <c>Streams</c>, shared with the stream workers' settings).</summary>
public sealed class StreamStoreOptions
{
    public const string Section = "Streams";

    /// <summary>
    /// A WebSocket subscriber not refreshed for this long counts as gone (its API replica died), so a stream made by
    /// subscriptions ends once all its subscribers are gone. API replicas refresh theirs every few seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan SubscriberTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the latest stored frame is kept after the owner stops storing new ones.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan FrameTtl { get; set; } = TimeSpan.FromMinutes(1);
}

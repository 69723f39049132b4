using System.ComponentModel.DataAnnotations;

namespace FaceObject.Api.Streams;

/// <summary>The API's side of streams (section <c>Streams</c>, shared with the store and the stream workers).</summary>
internal sealed class StreamApiOptions
{
    public const string Section = "Streams";

    /// <summary>
    /// How long adding a stream waits for its worker's first verdict: <c>live</c> is answered at once, <c>failed</c> becomes
    /// a problem (and the stream is removed), and a stream still connecting after this is answered as connecting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan CreateWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often this replica tells the store its WebSocket subscribers are alive (well below <c>Streams:SubscriberTimeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan SubscriberRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The server pings each WebSocket this often; a client silent for three intervals is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan WebSocketPing { get; set; } = TimeSpan.FromSeconds(15);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Streams;
using Microsoft.Extensions.Logging;

namespace FaceObject.Streaming.Runtime;

/// <summary>
/// Sends a stream's <c>new</c> and <c>end</c> track events to its <c>callback_url</c>, each as a job on the callbacks
/// queue (retried like task callbacks). Updates are not sent: one a second per object in view would flood a webhook;
/// the WebSocket and the event stream carry them.
/// </summary>
internal sealed partial class StreamEventCallbacks(IJobScheduler scheduler, ILogger<StreamEventCallbacks> logger)
{
    public void Send(StreamSpec spec, StreamTrackEvent trackEvent)
    {
        if (spec.CallbackUrl is not { } url || trackEvent.Kind is not (TrackEventKind.New or TrackEventKind.End))
        {
            return;
        }

        var body = JsonSerializer.SerializeToNode(trackEvent, FaceObjectJson.Options)!.AsObject();
        body.Insert(0, "stream_id", spec.Id);
        var eventName = "stream.track." + JsonNamingPolicy.SnakeCaseLower.ConvertName(trackEvent.Kind.ToString());
        try
        {
            scheduler.EnqueueStreamCallback(spec.Id, eventName, url, body.ToJsonString(FaceObjectJson.Options));
        }
#pragma warning disable CA1031 // Whatever the job storage throws, the stream goes on; the event still reached its followers.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogNotQueued(spec.Id, eventName, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId}: {EventName} could not be queued for its callback URL: {Reason}")]
    private partial void LogNotQueued(string streamId, string eventName, string reason);
}

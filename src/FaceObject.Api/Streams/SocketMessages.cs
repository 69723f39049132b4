using System.Text.Json;
using System.Text.Json.Serialization;
using FaceObject.Core.Results;
using FaceObject.Core.Streams;

namespace FaceObject.Api.Streams;

/// <summary>
/// The WebSocket's outgoing messages, <c>{ "type": ..., "payload": { ... } }</c> in camelCase as the Python worker wrote
/// them; the detections inside keep that worker's snake_case (<c>class_name</c>, <c>track_id</c>).
/// </summary>
internal static class SocketMessages
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string SubscribeAck(string subscriptionId, string streamId) =>
        Envelope("subscribeAck", new { status = "success", subscriptionId, streamId });

    public static string UnsubscribeAck(string subscriptionId) => Envelope("unsubscribeAck", new { status = "success", subscriptionId });

    public static string Error(string message, string? subscriptionIdentifier = null) => Envelope("error", new { message, subscriptionIdentifier });

    public static string StateReport(IReadOnlyList<object> subscriptions) => Envelope("stateReport", new { subscriptions });

    public static object Followed(string subscriptionId, StreamView view, string? sessionId) => new
    {
        subscriptionId,
        streamId = view.Spec.Id,
        modelId = view.Spec.Model,
        fps = view.Spec.Fps,
        sessionId,
        state = view.Status.State,
        view.Status.CameraFps,
        view.Status.ProcessedFps,
        view.Status.SkippedFps,
        view.Status.LastFrameAt,
        view.Status.Reconnects,
        view.Status.LastError,
    };

    public static string ImageDetection(string subscriptionId, string streamId, string? sessionId, StreamFrameResult frame) => Envelope("imageDetection", new
    {
        subscriptionId,
        streamId,
        sessionId,
        timestamp = frame.CapturedAt,
        detectedAt = frame.DetectedAt,
        frame = frame.Sequence,
        detections = frame.Detections.Select(d => new SocketDetection(d.ClassName, d.ClassId, d.Confidence, d.Bbox, d.TrackId, d.Stable)),
        modelInfo = new { id = frame.Model },
    });

    public static string TrackEvent(string subscriptionId, string streamId, string? sessionId, StreamTrackEvent track) => Envelope("trackEvent", new
    {
        subscriptionId,
        streamId,
        sessionId,
        @event = track.Kind,
        trackId = track.TrackId,
        className = track.ClassName,
        bestScore = track.BestScore,
        firstSeen = track.FirstSeen,
        lastSeen = track.LastSeen,
        bbox = track.Bbox,
    });

    /// <summary>The end of the pipeline run a pipeline stream started for one stable track (docs/pipelines.md, Streams).</summary>
    public static string PipelineResult(string subscriptionId, string streamId, StreamPipelineResult run) => Envelope("pipelineResult", new
    {
        subscriptionId,
        streamId,
        sessionId = run.SessionId,
        taskId = run.TaskId,
        pipeline = run.Pipeline,
        trackId = run.TrackId,
        status = run.Status,
        result = run.Result,
        error = run.Error,
    });

    public static string StreamState(string subscriptionId, string streamId, StreamStatus status) => Envelope("streamState", new
    {
        subscriptionId,
        streamId,
        state = status.State,
        status.Owner,
        status.CameraFps,
        status.ProcessedFps,
        status.SkippedFps,
        status.LastFrameAt,
        status.Reconnects,
        status.LastError,
    });

    private static string Envelope(string type, object payload) => JsonSerializer.Serialize(new { type, payload }, Json);

    /// <summary>One detection as the Python worker sent it.</summary>
    private sealed record SocketDetection(
        [property: JsonPropertyName("class_name")] string ClassName,
        [property: JsonPropertyName("class_id")] int ClassId,
        [property: JsonPropertyName("confidence")] float Confidence,
        [property: JsonPropertyName("bbox")] BoundingBox Bbox,
        [property: JsonPropertyName("track_id")] int TrackId,
        [property: JsonPropertyName("stable")] bool Stable);
}

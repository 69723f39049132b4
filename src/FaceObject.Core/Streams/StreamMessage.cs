namespace FaceObject.Core.Streams;

/// <summary>
/// One message a stream's owner sends to everyone following the stream, on any API replica. Exactly the member that
/// <see cref="Kind"/> names is set.
/// </summary>
public sealed record StreamMessage(string StreamId, StreamMessageKind Kind, StreamFrameResult? Frame = null, StreamTrackEvent? Track = null, StreamStatus? State = null,
    StreamPipelineResult? Pipeline = null)
{
    public static StreamMessage Of(string streamId, StreamPipelineResult pipeline) => new(streamId, StreamMessageKind.Pipeline, Pipeline: pipeline);

    public static StreamMessage Of(string streamId, StreamFrameResult frame) => new(streamId, StreamMessageKind.Frame, Frame: frame);

    public static StreamMessage Of(string streamId, StreamTrackEvent track) => new(streamId, StreamMessageKind.Track, Track: track);

    public static StreamMessage Of(string streamId, StreamStatus state) => new(streamId, StreamMessageKind.State, State: state);

    public static StreamMessage DeletedNotice(string streamId) => new(streamId, StreamMessageKind.Deleted);
}

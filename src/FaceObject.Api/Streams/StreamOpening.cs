using FaceObject.Core.Streams;

namespace FaceObject.Api.Streams;

/// <summary>What asking for a stream came to: the stream (new, shared, or the one in the way), or why it cannot run.</summary>
internal sealed record StreamOpening(StreamAddOutcome Outcome, StreamView Stream, string? Failure)
{
    public bool Failed => Failure is not null;
}

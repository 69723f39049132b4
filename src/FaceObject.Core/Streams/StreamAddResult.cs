namespace FaceObject.Core.Streams;

/// <summary>What <see cref="IStreamStore.AddAsync"/> did, and the stream it is about (the new one, or the one already reading the camera).</summary>
public sealed record StreamAddResult(StreamAddOutcome Outcome, StreamView Stream);

namespace FaceObject.Core.Streams;

/// <summary>A stream with its latest status, as the API shows it.</summary>
public sealed record StreamView(StreamSpec Spec, StreamStatus Status);

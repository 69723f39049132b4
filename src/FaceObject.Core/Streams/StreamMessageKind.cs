namespace FaceObject.Core.Streams;

/// <summary>What a <see cref="StreamMessage"/> carries.</summary>
public enum StreamMessageKind
{
    Frame,
    Track,
    State,

    /// <summary>The stream was deleted: followers stop following it.</summary>
    Deleted,

    /// <summary>A pipeline run for one stable track ended (<see cref="StreamPipelineResult"/>).</summary>
    Pipeline,
}

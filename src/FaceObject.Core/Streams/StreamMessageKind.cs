namespace FaceObject.Core.Streams;

/// <summary>What a <see cref="StreamMessage"/> carries.</summary>
public enum StreamMessageKind
{
    Frame,
    Track,
    State,

    /// <summary>The stream was deleted: followers stop following it.</summary>
    Deleted,
}

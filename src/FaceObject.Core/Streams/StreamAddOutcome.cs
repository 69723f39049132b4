namespace FaceObject.Core.Streams;

/// <summary>The result of <see cref="IStreamStore.AddAsync"/>.</summary>
public enum StreamAddOutcome
{
    /// <summary>A new stream; an owner will pick it up.</summary>
    Added,

    /// <summary>The camera was already streamed with the same detection settings; the caller shares that stream.</summary>
    Joined,

    /// <summary>The camera is already streamed with other settings (one reader per camera); nothing changed.</summary>
    Conflict,
}

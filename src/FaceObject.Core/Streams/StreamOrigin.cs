namespace FaceObject.Core.Streams;

/// <summary>Who made a stream, which decides when it ends.</summary>
public enum StreamOrigin
{
    /// <summary>Made with <c>POST /api/streams</c>; stays until deleted.</summary>
    Rest,

    /// <summary>Made by a WebSocket <c>subscribe</c>; ends with its last subscriber.</summary>
    Subscription,
}

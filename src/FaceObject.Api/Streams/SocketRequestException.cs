namespace FaceObject.Api.Streams;

/// <summary>A WebSocket message that cannot be acted on; its message goes back to the client as an <c>error</c>.</summary>
internal sealed class SocketRequestException(string message, string? subscriptionIdentifier = null) : Exception(message)
{
    public string? SubscriptionIdentifier { get; } = subscriptionIdentifier;
}

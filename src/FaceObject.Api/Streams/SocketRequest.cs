using System.Text.Json;
using FaceObject.Core.Streams;

namespace FaceObject.Api.Streams;

/// <summary>One incoming WebSocket message: <c>{ "type": ..., "payload": { ... } }</c>, with typed access to the payload's fields.</summary>
internal sealed class SocketRequest
{
    private readonly JsonElement _payload;

    private SocketRequest(string type, JsonElement payload)
    {
        Type = type;
        _payload = payload;
    }

    public string Type { get; }

    public string? SubscriptionIdentifier => String("subscriptionIdentifier");

    /// <exception cref="SocketRequestException">Not JSON, or not an object with a string <c>type</c> and an object <c>payload</c>.</exception>
    public static SocketRequest Parse(string text)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new SocketRequestException($"The message is not valid JSON ({e.Message}); send {{ \"type\": ..., \"payload\": {{ ... }} }}.");
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new SocketRequestException("The message needs a string 'type': subscribe, unsubscribe, requestState, setSessionId or patchSession.");
        }

        var payload = root.TryGetProperty("payload", out var value) ? value : default;
        if (payload.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new SocketRequestException("'payload' must be an object.");
        }

        return new SocketRequest(type.GetString()!, payload);
    }

    public string RequireSubscriptionIdentifier() =>
        SubscriptionIdentifier is { Length: > 0 and <= 256 } identifier
            ? identifier
            : throw new SocketRequestException($"{Type} needs 'subscriptionIdentifier' (e.g. display-1;cam-7, at most 256 characters).");

    /// <summary>The camera of a subscribe: <c>rtspUrl</c> (RTSP, or HTTP MJPEG) or <c>snapshotUrl</c>, exactly one.</summary>
    public (string? Url, StreamSourceKind? Kind) CameraUrl()
    {
        var rtsp = String("rtspUrl");
        var snapshot = String("snapshotUrl");
        return (rtsp, snapshot) switch
        {
            (not null, null) => (rtsp, null),
            (null, not null) => (snapshot, StreamSourceKind.Snapshot),
            (null, null) => throw new SocketRequestException("subscribe needs 'rtspUrl' (rtsp://, or an http:// MJPEG stream) or 'snapshotUrl' (http:// returning one JPEG per request)."),
            _ => throw new SocketRequestException("subscribe takes 'rtspUrl' or 'snapshotUrl', not both."),
        };
    }

    public JsonElement? Raw(string name) =>
        _payload.ValueKind == JsonValueKind.Object && _payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Raw(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw new SocketRequestException($"'{name}' must be a string."),
    };

    public double? Double(string name) => Raw(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        _ => throw new SocketRequestException($"'{name}' must be a number."),
    };

    public int? Int(string name) => Raw(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        _ => throw new SocketRequestException($"'{name}' must be a whole number."),
    };
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using FaceObject.Storage.Liveness;
using Microsoft.Extensions.Logging;

namespace FaceObject.Api.Streams;

/// <summary>
/// One WebSocket client: reads its messages one at a time, answers each, and forwards the messages of the streams it
/// follows. A bad message gets an <c>error</c> and changes nothing else; closing the socket ends every subscription
/// it made. Outgoing detections are dropped (oldest first) when the client reads too slowly; acks, track events,
/// state changes and errors never are.
/// </summary>
internal sealed partial class StreamSocketSession(
    WebSocket socket,
    StreamRequest requests,
    StreamOpener opener,
    IStreamStore store,
    IStreamEventBus bus,
    StreamSubscribers subscribers,
    ILogger<StreamSocketSession> logger)
{
    private const int MaxMessageBytes = 64 * 1024;
    private const int DetectionBacklog = 16;

    private readonly string _connection = $"{ProcessInstance.Id}:{Guid.NewGuid():N}";
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Identifier, string StreamId)> _deleted = new();
    private readonly Dictionary<string, DisplaySession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _sessionsLock = new();
    private readonly Channel<string> _important = Channel.CreateUnbounded<string>();
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<string> _detections = Channel.CreateBounded<string>(new BoundedChannelOptions(DetectionBacklog) { FullMode = BoundedChannelFullMode.DropOldest });

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var sending = SendLoopAsync(stop.Token);
        try
        {
            await ReceiveLoopAsync(stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away, stopped answering pings, or closed while a message was being sent.
        }
        finally
        {
            foreach (var identifier in _subscriptions.Keys.ToList())
            {
                await EndSubscriptionAsync(identifier);
            }

            await stop.CancelAsync();
            await sending;
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (message.Length > MaxMessageBytes)
            {
                Send(SocketMessages.Error($"A message may be at most {MaxMessageBytes / 1024} KiB."));
                await DiscardRestAsync(received, buffer, cancellationToken);
                message.SetLength(0);
                continue;
            }

            if (!received.EndOfMessage)
            {
                continue;
            }

            var text = received.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length) : null;
            message.SetLength(0);
            await HandleAsync(text, cancellationToken);
        }
    }

    private async Task DiscardRestAsync(WebSocketReceiveResult received, byte[] buffer, CancellationToken cancellationToken)
    {
        while (!received.EndOfMessage)
        {
            received = await socket.ReceiveAsync(buffer, cancellationToken);
        }
    }

    private async Task HandleAsync(string? text, CancellationToken cancellationToken)
    {
        if (text is null)
        {
            Send(SocketMessages.Error("Messages are JSON text: { \"type\": ..., \"payload\": { ... } }; binary frames are not accepted."));
            return;
        }

        SocketRequest request;
        try
        {
            request = SocketRequest.Parse(text);
        }
        catch (SocketRequestException e)
        {
            Send(SocketMessages.Error(e.Message, e.SubscriptionIdentifier));
            return;
        }

        try
        {
            await EndDeletedAsync();
            await (request.Type switch
            {
                "subscribe" => SubscribeAsync(request, cancellationToken),
                "unsubscribe" => UnsubscribeAsync(request),
                "requestState" => ReportStateAsync(cancellationToken),
                "setSessionId" => SetSessionAsync(request),
                "patchSession" => PatchSessionAsync(request),
                _ => throw new SocketRequestException(
                    $"Unknown message type '{request.Type}'; accepted: subscribe, unsubscribe, requestState, setSessionId, patchSession."),
            });
        }
        catch (SocketRequestException e)
        {
            Send(SocketMessages.Error(e.Message, e.SubscriptionIdentifier ?? request.SubscriptionIdentifier));
        }
        catch (StorageUnavailableException)
        {
            Send(SocketMessages.Error("Storage is unavailable; try again in a moment.", request.SubscriptionIdentifier));
        }
    }

    /// <summary>
    /// Ends the subscriptions whose stream was deleted (their client was told with an <c>error</c> then): the bus
    /// thread only notes them, since the subscriptions belong to this loop.
    /// </summary>
    private async Task EndDeletedAsync()
    {
        while (_deleted.TryDequeue(out var deleted))
        {
            if (_subscriptions.TryGetValue(deleted.Identifier, out var subscription) && subscription.StreamId == deleted.StreamId)
            {
                await EndSubscriptionAsync(deleted.Identifier);
            }
        }
    }

    private async Task SubscribeAsync(SocketRequest request, CancellationToken cancellationToken)
    {
        var identifier = request.RequireSubscriptionIdentifier();
        if (_subscriptions.ContainsKey(identifier))
        {
            throw new SocketRequestException($"'{identifier}' is already subscribed on this connection; unsubscribe first to change it.", identifier);
        }

        var (url, kind) = request.CameraUrl();
        if (!requests.TryCreate(url, kind, request.String("modelId"), request.Double("fps"),
                [request.Int("cropX1"), request.Int("cropY1"), request.Int("cropX2"), request.Int("cropY2")], request.Int("stableFrames"),
                (float?)request.Double("stableMedianScore"), StreamOrigin.Subscription, out var spec, out var error))
        {
            throw new SocketRequestException(error!, identifier);
        }

        // Follow the new stream before it opens and hold what it publishes until the ack, so nothing is missed.
        var display = identifier.Split(';', 2)[0];
        var relay = new HeldRelay(message => Forward(identifier, display, message));
        IAsyncDisposable? followed = await bus.SubscribeAsync(spec!.Id, relay.OnMessageAsync, cancellationToken);
        try
        {
            var opening = await opener.OpenAsync(spec, cancellationToken);
            var stream = opening.Stream.Spec;
            if (opening.Outcome == StreamAddOutcome.Conflict)
            {
                throw new SocketRequestException(
                    $"This camera is already streamed as '{stream.Id}' with model '{stream.Model}' at {stream.Fps} fps (one reader per camera); subscribe with those settings.", identifier);
            }

            if (opening.Failed)
            {
                throw new SocketRequestException($"The camera cannot be streamed: {opening.Failure}", identifier);
            }

            if (stream.Id != spec.Id)
            {
                // Another client's stream already reads this camera: follow that one.
                await followed.DisposeAsync();
                followed = null;
                followed = await bus.SubscribeAsync(stream.Id, relay.OnMessageAsync, cancellationToken);
            }

            var subscriber = $"{_connection}:{identifier}";
            _subscriptions[identifier] = new Subscription(stream.Id, subscriber, followed);
            followed = null;
            subscribers.Add(stream.Id, subscriber);
            await store.AttachAsync(stream.Id, subscriber, cancellationToken);
            if (SessionOf(display) is { } session)
            {
                await store.SetSessionAsync(stream.Id, session, cancellationToken);
            }

            Send(SocketMessages.SubscribeAck(identifier, stream.Id));
            Send(SocketMessages.StreamState(identifier, stream.Id, opening.Stream.Status));
            relay.Release();
            LogSubscribed(logger, identifier, stream.Id);
        }
        finally
        {
            if (followed is not null)
            {
                await followed.DisposeAsync();
            }
        }
    }

    private async Task UnsubscribeAsync(SocketRequest request)
    {
        var identifier = request.RequireSubscriptionIdentifier();
        if (!_subscriptions.ContainsKey(identifier))
        {
            throw new SocketRequestException($"'{identifier}' is not subscribed on this connection.", identifier);
        }

        await EndSubscriptionAsync(identifier);
        Send(SocketMessages.UnsubscribeAck(identifier));
    }

    private async Task ReportStateAsync(CancellationToken cancellationToken)
    {
        var followed = new List<object>();
        foreach (var (identifier, subscription) in _subscriptions)
        {
            if (await store.GetAsync(subscription.StreamId, cancellationToken) is { } view)
            {
                followed.Add(SocketMessages.Followed(identifier, view, SessionOf(identifier.Split(';', 2)[0])));
            }
        }

        Send(SocketMessages.StateReport(followed));
    }

    private Task SetSessionAsync(SocketRequest request)
    {
        var display = request.String("displayIdentifier") ?? throw new SocketRequestException("setSessionId needs 'displayIdentifier' (e.g. display-1).");
        var sessionId = request.Raw("sessionId") is { ValueKind: JsonValueKind.String or JsonValueKind.Number } raw
            ? raw.ToString()
            : throw new SocketRequestException("setSessionId needs 'sessionId' (a string or number).");
        lock (_sessionsLock)
        {
            _sessions[display] = new DisplaySession(sessionId, null);
        }

        // The streams this display follows start their pipeline runs with this session from now on.
        return Task.WhenAll(_subscriptions.Where(s => s.Key.Split(';', 2)[0] == display).Select(s => store.SetSessionAsync(s.Value.StreamId, sessionId)));
    }

    private Task PatchSessionAsync(SocketRequest request)
    {
        var sessionId = request.Raw("sessionId")?.ToString() ?? throw new SocketRequestException("patchSession needs 'sessionId'.");
        var data = request.Raw("data") is { ValueKind: JsonValueKind.Object } value ? value.Clone() : throw new SocketRequestException("patchSession needs 'data' (an object).");
        lock (_sessionsLock)
        {
            var display = _sessions.FirstOrDefault(s => s.Value.SessionId == sessionId).Key
                ?? throw new SocketRequestException($"No display on this connection has session '{sessionId}'; send setSessionId first.");
            _sessions[display] = _sessions[display] with { Data = data };
        }

        return Task.CompletedTask;
    }

    private string? SessionOf(string display)
    {
        lock (_sessionsLock)
        {
            return _sessions.TryGetValue(display, out var session) ? session.SessionId : null;
        }
    }

    private void Forward(string identifier, string display, StreamMessage message)
    {
        var sessionId = SessionOf(display);
        switch (message)
        {
            case { Kind: StreamMessageKind.Frame, Frame: { } frame }:
                if (_detections.Reader.Count >= DetectionBacklog)
                {
                    // The write below drops the oldest: the client reads more slowly than the stream detects.
                    StreamSocketMetrics.DroppedDetections.Inc();
                }

                _detections.Writer.TryWrite(SocketMessages.ImageDetection(identifier, message.StreamId, sessionId, frame));
                _pending.Writer.TryWrite(true);
                break;
            case { Kind: StreamMessageKind.Track, Track: { } track }:
                Send(SocketMessages.TrackEvent(identifier, message.StreamId, sessionId, track));
                break;
            case { Kind: StreamMessageKind.State, State: { } state }:
                Send(SocketMessages.StreamState(identifier, message.StreamId, state));
                break;
            case { Kind: StreamMessageKind.Pipeline, Pipeline: { } run }:
                Send(SocketMessages.PipelineResult(identifier, message.StreamId, run));
                break;
            case { Kind: StreamMessageKind.Deleted }:
                _deleted.Enqueue((identifier, message.StreamId));
                Send(SocketMessages.Error("The stream was deleted; this subscription has ended.", identifier));
                break;
        }
    }

    private async Task EndSubscriptionAsync(string identifier)
    {
        if (!_subscriptions.Remove(identifier, out var subscription))
        {
            return;
        }

        await subscription.Followed.DisposeAsync();
        subscribers.Remove(subscription.StreamId, subscription.Subscriber);
        try
        {
            await store.DetachAsync(subscription.StreamId, subscription.Subscriber);
        }
        catch (StorageUnavailableException)
        {
            // The subscriber lapses in the store on its own, as it is no longer refreshed.
        }
    }

    private void Send(string message)
    {
        _important.Writer.TryWrite(message);
        _pending.Writer.TryWrite(true);
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Writers signal after each message (at most one signal waits): drain both queues, important first, then wait.
                await _pending.Reader.ReadAsync(cancellationToken);
                while (_important.Reader.TryRead(out var message) || _detections.Reader.TryRead(out message))
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is closing (a close handshake may overlap a send); the receive side ends the session.
        }
    }

    private sealed record Subscription(string StreamId, string Subscriber, IAsyncDisposable Followed);

    private sealed record DisplaySession(string SessionId, JsonElement? Data);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket subscription {Subscription} follows stream {StreamId}")]
    private static partial void LogSubscribed(ILogger logger, string subscription, string streamId);
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace FaceObject.LoadGen;

/// <summary>
/// One WebSocket connection following one stream: subscribes on connect, then records every <c>imageDetection</c>
/// (its frame number, capture time and time of receipt) until disposed. Thread-safe to read while it receives.
/// </summary>
internal sealed class StreamClient(int index, StreamLoadArguments options) : IAsyncDisposable
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<ReceivedDetection> _received = [];
    private Task _receiving = Task.CompletedTask;

    public int Index => index;

    /// <summary>The last <c>error</c> message the server sent, or why the connection failed; null while all is well.</summary>
    public string? Error { get; private set; }

    public int Received
    {
        get
        {
            lock (_lock)
            {
                return _received.Count;
            }
        }
    }

    public async Task ConnectAsync()
    {
        if (options.ApiKey is { } key)
        {
            _socket.Options.SetRequestHeader("X-Api-Key", key);
        }

        var server = new UriBuilder(options.Server) { Scheme = options.Server.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws", Path = "/ws" }.Uri;
        await _socket.ConnectAsync(server, _stop.Token);
        var subscribe = JsonSerializer.Serialize(new
        {
            type = "subscribe",
            payload = new
            {
                subscriptionIdentifier = $"bench-{index};cam-{index}",
                rtspUrl = $"{options.Rtsp}?stream={index}",
                modelId = options.Model,
                fps = options.Fps,
            },
        });
        await _socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        _receiving = ReceiveAsync(_stop.Token);
    }

    /// <summary>The detections received from <paramref name="from"/> up to <paramref name="to"/>, in order of receipt.</summary>
    public ReceivedDetection[] Between(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_lock)
        {
            return [.. _received.Where(r => r.ReceivedAt >= from && r.ReceivedAt < to)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                // Closing ends the subscription, and with its last subscriber the stream.
                using var timeout = new CancellationTokenSource(CloseWait);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                await _receiving.WaitAsync(CloseWait);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
        }

        await _stop.CancelAsync();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                // The time of receipt comes first: parsing is this client's cost, not the server's.
                var receivedAt = DateTimeOffset.UtcNow;
                Handle(message.GetBuffer().AsMemory(0, (int)message.Length), receivedAt);
                message.SetLength(0);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            Error ??= $"connection lost: {e.Message}";
        }
    }

    private void Handle(ReadOnlyMemory<byte> json, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var payload = root.GetProperty("payload");
        switch (root.GetProperty("type").GetString())
        {
            case "imageDetection":
                var detection = new ReceivedDetection(payload.GetProperty("frame").GetInt64(), payload.GetProperty("timestamp").GetDateTimeOffset(), receivedAt);
                lock (_lock)
                {
                    _received.Add(detection);
                }

                break;
            case "error":
                Error = payload.GetProperty("message").GetString();
                break;
        }
    }
}

/// <param name="Frame">The reader's number for the frame (every frame the camera delivered is numbered).</param>
/// <param name="CapturedAt">When the server had the decoded frame.</param>
/// <param name="ReceivedAt">When this client had the whole message.</param>
internal sealed record ReceivedDetection(long Frame, DateTimeOffset CapturedAt, DateTimeOffset ReceivedAt)
{
    public double LatencyMs => (ReceivedAt - CapturedAt).TotalMilliseconds;
}

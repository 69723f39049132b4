using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace FaceObject.Testing.Cameras;

/// <summary>A WebSocket client of the streams protocol: sends <c>{type, payload}</c> messages and keeps every message received, in order.</summary>
public sealed class StreamSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonObject> _received = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;

    /// <summary>Every message received so far (including those a wait skipped).</summary>
    public IReadOnlyList<JsonObject> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<StreamSocketClient> ConnectAsync(string url)
    {
        var client = new StreamSocketClient();
        await client._socket.ConnectAsync(new Uri(url), CancellationToken.None);
        client._reading = client.ReadAsync();
        return client;
    }

    public Task SendAsync(string type, object payload) =>
        SendTextAsync(new JsonObject { ["type"] = type, ["payload"] = System.Text.Json.JsonSerializer.SerializeToNode(payload) }.ToJsonString());

    public Task SendTextAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next received message of <paramref name="type"/> matching <paramref name="match"/>; others are skipped (and stay in <see cref="Seen"/>).</summary>
    public async Task<JsonObject> WaitForAsync(string type, TimeSpan timeout, Func<JsonObject, bool>? match = null)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _received.Reader.ReadAsync(cancel.Token);
                if ((string?)message["type"] == type && (match is null || match((JsonObject)message["payload"]!)))
                {
                    return (JsonObject)message["payload"]!;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{type}' message within {timeout}; received: {string.Join(", ", Seen.Select(m => (string?)m["type"]).Distinct())}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        await _reading;
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var parsed = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length))!.AsObject();
                message.SetLength(0);
                lock (_seen)
                {
                    _seen.Add(parsed);
                }

                _received.Writer.TryWrite(parsed);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
    }
}

using System.Net.Sockets;
using System.Text;

namespace FaceObject.Testing;

/// <summary>
/// Watches what clients send to a redis-server (its <c>MONITOR</c> feed), leaving out the commands that scripts run
/// inside the server: what is left is what clients waited for, one round trip per command unless pipelined. For
/// tests that hold a code path to a number of round trips. Dispose to stop.
/// </summary>
public sealed class RedisMonitor : IDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;

    private RedisMonitor(TcpClient client)
    {
        _client = client;
        _reader = new StreamReader(client.GetStream(), Encoding.UTF8);
    }

    /// <summary>Starts watching <paramref name="server"/>; only commands sent after this returns are seen.</summary>
    public static async Task<RedisMonitor> StartAsync(RedisServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        var monitor = new RedisMonitor(client);
        await client.GetStream().WriteAsync("MONITOR\r\n"u8.ToArray());
        var reply = await monitor._reader.ReadLineAsync();
        if (reply != "+OK")
        {
            throw new InvalidOperationException("MONITOR was refused: " + reply);
        }

        return monitor;
    }

    /// <summary>
    /// The names (lower case) of the commands clients sent since the start or the last call, in order. It sends
    /// <c>ECHO</c> with a marker through <paramref name="send"/> (a connection of the test) and reads up to it, so
    /// everything sent before the call is in. The marker itself is left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> TakeAsync(Func<string, Task> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var marker = "monitor-mark-" + Guid.NewGuid().ToString("N");
        await send(marker);
        var commands = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            // +1701531234.123456 [0 127.0.0.1:43210] "evalsha" "..." ; a script's own commands say [0 lua].
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return commands;
            }

            var end = line.IndexOf("] \"", StringComparison.Ordinal);
            if (end < 0 || line.AsSpan(0, end).EndsWith(" lua", StringComparison.Ordinal))
            {
                continue;
            }

            var name = line[(end + 3)..];
            commands.Add(name[..name.IndexOf('"', StringComparison.Ordinal)].ToLowerInvariant());
        }

        throw new InvalidOperationException("The MONITOR feed ended before the marker came.");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _client.Dispose();
    }
}

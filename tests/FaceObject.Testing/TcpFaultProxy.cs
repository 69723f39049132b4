using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FaceObject.Testing;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server (Redis, here), through which one process under test connects. It
/// can cut that process off at a precise moment, from outside and without any hook in the code under test: when
/// the client sends bytes containing an armed marker, those bytes are dropped, every relayed connection is reset,
/// and new connections are refused for a while, as when the network between a worker and Redis fails.
/// </summary>
public sealed class TcpFaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private byte[]? _marker;
    private TimeSpan _outage;
    private DateTime _refuseUntil = DateTime.MinValue;

    public TcpFaultProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Completes when the armed fault has fired.</summary>
    public Task Cut => _cut.Task;

    /// <summary>
    /// Arms a one-shot fault: the first client write containing <paramref name="marker"/> is not forwarded, all
    /// relayed connections are reset, and connections are refused for <paramref name="outage"/>.
    /// </summary>
    public void CutWhenClientSends(byte[] marker, TimeSpan outage)
    {
        lock (_lock)
        {
            _marker = marker;
            _outage = outage;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _sockets.Keys)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            bool refused;
            lock (_lock)
            {
                refused = DateTime.UtcNow < _refuseUntil;
            }

            if (refused)
            {
                Reset(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets[client] = 0;
        _sockets[server] = 0;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server, inspect: true), PumpAsync(server, client, inspect: false));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool inspect)
    {
        var buffer = new byte[64 * 1024];
        var tail = Array.Empty<byte>();
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                if (inspect && ShouldCut(tail, buffer.AsSpan(0, read), out tail))
                {
                    CutAll();
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Looks for the marker in this chunk, including one that straddles the previous chunk's end.</summary>
    private bool ShouldCut(byte[] previousTail, ReadOnlySpan<byte> chunk, out byte[] tail)
    {
        byte[]? marker;
        lock (_lock)
        {
            marker = _marker;
        }

        if (marker is null)
        {
            tail = [];
            return false;
        }

        var window = new byte[previousTail.Length + chunk.Length];
        previousTail.CopyTo(window, 0);
        chunk.CopyTo(window.AsSpan(previousTail.Length));
        tail = window.AsSpan(Math.Max(0, window.Length - (marker.Length - 1))).ToArray();
        if (window.AsSpan().IndexOf(marker) < 0)
        {
            return false;
        }

        lock (_lock)
        {
            if (_marker is null)
            {
                return false;
            }

            _marker = null;
            _refuseUntil = DateTime.UtcNow + _outage;
        }

        return true;
    }

    private void CutAll()
    {
        foreach (var socket in _sockets.Keys)
        {
            Reset(socket);
        }

        _cut.TrySetResult();
    }

    private void Reset(Socket socket)
    {
        _sockets.TryRemove(socket, out _);
        try
        {
            // Linger 0: the peer sees a reset, as on a network failure, not an orderly close.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using StackExchange.Redis;

namespace FaceObject.Testing;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) on 127.0.0.1 and a free port, with its data in a temporary
/// folder. Stopped and removed on dispose. Use one per test class, or a key prefix per test class when shared.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly string _dataDirectory;
    private readonly bool _appendOnly;
    private Process? _process;

    public RedisServer(bool appendOnly = false)
    {
        _appendOnly = appendOnly;
        Port = FreePort.Next();
        _dataDirectory = Directory.CreateTempSubdirectory("faceobject-redis-").FullName;
        Start();
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// A connection for the test itself (admin commands allowed, e.g. INFO). It survives <see cref="Stop"/> and
    /// <see cref="Start"/> and reconnects by itself. The caller disposes it.
    /// </summary>
    public ConnectionMultiplexer Connect()
    {
        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary><c>INFO memory</c>'s <c>used_memory</c>: bytes the server has allocated for data and buffers.</summary>
    public static async Task<long> UsedMemoryAsync(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var info = await connection.GetServers()[0].InfoAsync("memory");
        var value = info.SelectMany(group => group).First(pair => pair.Key == "used_memory").Value;
        return long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the server again on the same port and data folder (after <see cref="Stop"/>).</summary>
    public void Start()
    {
        _process = LocalServer.Start(FindRedisServer(),
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "--dir", _dataDirectory, "--save", "",
            "--appendonly", _appendOnly ? "yes" : "no", "--protected-mode", "yes", "--daemonize", "no",
        ], _dataDirectory);
        LocalServer.WaitUntilAccepting(_process, "redis-server", Port, TimeSpan.FromSeconds(10), AnswersPing);
    }

    /// <summary>Kills the server at once (as a crash would).</summary>
    public void Stop() => LocalServer.Kill(ref _process);

    /// <summary>
    /// Suspends the server (SIGSTOP): its connections stay open and nothing answers, so every command ends in the
    /// client's timeout, as with a server stalled or a network that drops packets. Undone by <see cref="Resume"/>.
    /// </summary>
    public void Suspend() => Signal("STOP");

    /// <summary>Lets a <see cref="Suspend"/>ed server run again (SIGCONT).</summary>
    public void Resume() => Signal("CONT");

    private void Signal(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("redis-server is not running.");
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        LocalServer.DeleteDirectory(_dataDirectory);
    }

    /// <summary>Redis answers PING with "+PONG" once it has loaded its data; a bare TCP accept comes earlier.</summary>
    private static bool AnswersPing(NetworkStream stream)
    {
        stream.Write("PING\r\n"u8);
        var buffer = new byte[16];
        var read = stream.Read(buffer);
        return read > 0 && buffer[0] == (byte)'+';
    }

    private static string FindRedisServer()
    {
        foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (the .ci/run script does it).");
    }
}

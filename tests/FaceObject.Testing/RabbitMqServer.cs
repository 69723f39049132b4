using System.Globalization;
using RabbitMQ.Client;

namespace FaceObject.Testing;

/// <summary>
/// A real RabbitMQ broker (Debian's <c>rabbitmq-server</c>) on 127.0.0.1 and free ports, its own <c>epmd</c> on
/// another free port (so it neither needs nor disturbs the machine's), and its data, logs and Erlang cookie in a
/// temporary folder. Start-up takes tens of seconds on a loaded machine: share one per test collection, with queue
/// names per test class. Stopped and removed on dispose.
/// </summary>
public sealed class RabbitMqServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly string _directory;
    private readonly int _epmdPort = FreePort.Next();
    private readonly int _distributionPort = FreePort.Next();
    private readonly string _nodeName = $"faceobject-{Guid.NewGuid().ToString("N")[..8]}@localhost";
    private System.Diagnostics.Process? _epmd;
    private System.Diagnostics.Process? _broker;

    public RabbitMqServer()
    {
        Port = FreePort.Next();
        _directory = Directory.CreateTempSubdirectory("faceobject-rabbitmq-").FullName;
        File.WriteAllText(Path.Combine(_directory, "enabled_plugins"), "[].");
        Start();
    }

    public int Port { get; }

    /// <summary>The AMQP URL (RabbitMQ's default guest user, which it allows on loopback only).</summary>
    public Uri Url => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    /// <summary>A connection for the test itself; the caller disposes it.</summary>
    public Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = Url }.CreateConnectionAsync();

    /// <summary>Starts the broker (again, after <see cref="Stop"/>: same port and data, so durable queues survive).</summary>
    public void Start()
    {
        var epmdPort = _epmdPort.ToString(CultureInfo.InvariantCulture);
        _epmd ??= LocalServer.Start("epmd", ["-port", epmdPort, "-address", "127.0.0.1"], _directory);
        _broker = LocalServer.Start(FindBroker(), [], _directory, new Dictionary<string, string>
        {
            ["HOME"] = _directory,
            ["RABBITMQ_NODENAME"] = _nodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = epmdPort,
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbitmq.pid"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(_directory, "advanced.config"),
        });
        LocalServer.WaitUntilAccepting(_broker, "rabbitmq-server", Port, StartTimeout);
    }

    /// <summary>Kills the broker at once (as a crash would); <c>epmd</c> stays for <see cref="Start"/>.</summary>
    public void Stop() => LocalServer.Kill(ref _broker);

    public void Dispose()
    {
        Stop();
        LocalServer.Kill(ref _epmd);
        LocalServer.DeleteDirectory(_directory);
    }

    /// <summary>The server script itself, not <c>/usr/sbin/rabbitmq-server</c>, which switches to the rabbitmq user.</summary>
    private static string FindBroker()
    {
        var lib = "/usr/lib/rabbitmq/lib";
        return (Directory.Exists(lib)
                ? Directory.GetDirectories(lib, "rabbitmq_server-*").Select(d => Path.Combine(d, "sbin", "rabbitmq-server")).FirstOrDefault(File.Exists)
                : null)
            ?? throw new InvalidOperationException("rabbitmq-server is not installed; run scripts/install-deps.sh --with-redis (Debian package rabbitmq-server).");
    }
}

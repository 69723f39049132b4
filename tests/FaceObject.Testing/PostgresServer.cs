using System.Globalization;
using Npgsql;

namespace FaceObject.Testing;

/// <summary>
/// A real PostgreSQL 15 (Debian's <c>postgresql</c> package, <c>/usr/lib/postgresql/15/bin</c>) on 127.0.0.1 and a
/// free port, its cluster made by <c>initdb</c> in a temporary folder (trust authentication, the <c>postgres</c>
/// superuser, no flushes to disk) and its Unix socket in that folder. PostgreSQL refuses to run as root, so when the tests
/// run as root the folder is given to the <c>postgres</c> OS user the package creates and the server runs as it.
/// Start-up takes a second or two: share one per test collection, with a table per test. Stopped and removed on dispose.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private const string ServerUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private System.Diagnostics.Process? _process;

    public PostgresServer()
    {
        if (!File.Exists(Path.Combine(Binaries, "postgres")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({Binaries}/postgres is missing); run scripts/install-deps.sh --with-redis (Debian package postgresql).");
        }

        Port = FreePort.Next();

        // As root the server user must reach the folder, and /tmp is open to every user whatever TMPDIR says.
        _directory = Environment.IsPrivilegedProcess
            ? Directory.CreateDirectory(Path.Combine("/tmp", $"faceobject-postgres-{Guid.NewGuid():N}")).FullName
            : Directory.CreateTempSubdirectory("faceobject-postgres-").FullName;
        if (Environment.IsPrivilegedProcess)
        {
            LocalServer.Run("chown", [$"{ServerUser}:{ServerUser}", _directory], TimeSpan.FromSeconds(10));
        }

        RunAsServerUser("initdb", ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            TimeSpan.FromSeconds(120));
        Start();
    }

    public int Port { get; }

    /// <summary>An Npgsql connection string for the <c>postgres</c> database as the <c>postgres</c> superuser.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
    }.ConnectionString;

    public bool IsRunning => _process is { HasExited: false };

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>
    /// An open connection for the test itself, outside any pool, so that none of its connections is left dead in a
    /// pool by <see cref="Stop"/>. The caller disposes it.
    /// </summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> (no parameters: the test's own DDL and fixed statements) on a connection of its own.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, or null without one.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>: same port and data).</summary>
    public void Start()
    {
        _process = StartAsServerUser("postgres",
        [
            "-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_directory}",
            // Speed without losing commits across Stop: an immediate shutdown loses what the OS was never handed, so
            // commits still go to the OS at once (synchronous_commit stays on); only the flush to disk is skipped.
            "-c", "fsync=off", "-c", "full_page_writes=off",
        ]);
        LocalServer.WaitUntilAccepting(_process, "postgres", Port, StartTimeout);
        WaitUntilAnswering();
    }

    /// <summary>
    /// Stops the server at once (an immediate shutdown: open connections are cut, nothing is flushed), as a crash or
    /// an outage would. Through <c>pg_ctl</c> rather than a kill, so the server still removes its shared memory.
    /// </summary>
    public void Stop()
    {
        if (IsRunning)
        {
            try
            {
                RunAsServerUser("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(40));
                _process!.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // pg_ctl failed: the kill below still stops it.
            }
        }

        LocalServer.Kill(ref _process);
    }

    public void Dispose()
    {
        Stop();
        LocalServer.DeleteDirectory(_directory);
    }

    /// <summary>"starting up" connections are refused after the port opens, until recovery is done; a query tells.</summary>
    private void WaitUntilAnswering()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var connection = OpenAsync().GetAwaiter().GetResult();
                using var command = new NpgsqlCommand("SELECT 1", connection);
                command.ExecuteScalar();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline && IsRunning)
            {
                Thread.Sleep(50);
            }
        }
    }

    private System.Diagnostics.Process StartAsServerUser(string program, IReadOnlyList<string> arguments)
    {
        var (fileName, all) = AsServerUser(program, arguments);
        return LocalServer.Start(fileName, all, _directory);
    }

    private void RunAsServerUser(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var (fileName, all) = AsServerUser(program, arguments);
        LocalServer.Run(fileName, all, timeout, _directory);
    }

    /// <summary><c>runuser</c> (util-linux, on every Debian) switches user without a password or a login shell.</summary>
    private static (string FileName, IReadOnlyList<string> Arguments) AsServerUser(string program, IReadOnlyList<string> arguments) =>
        Environment.IsPrivilegedProcess
            ? ("runuser", ["-u", ServerUser, "--", Path.Combine(Binaries, program), .. arguments])
            : (Path.Combine(Binaries, program), arguments);
}

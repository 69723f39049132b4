using System.Text.Json.Nodes;
using FaceObject.Testing;
using StackExchange.Redis;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// The distributed deployment in miniature for one test: a real redis-server (AOF on, so it can be restarted with
/// its data), API processes that only enqueue, and worker processes, each a separate OS process on 127.0.0.1.
/// Everything it started is stopped on dispose.
/// </summary>
internal sealed class ServiceCluster : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<FaceObjectClient> _clients = [];
    private readonly Lazy<ConnectionMultiplexer> _connection;

    public ServiceCluster(bool appendOnly = true)
    {
        Redis = new RedisServer(appendOnly);
        _connection = new Lazy<ConnectionMultiplexer>(Redis.Connect);
    }

    public RedisServer Redis { get; }

    /// <summary>The test's own connection to Redis, for reading what the services wrote.</summary>
    public IDatabase Db => _connection.Value.GetDatabase();

    public IConnectionMultiplexer Connection => _connection.Value;

    /// <summary>Settings every process gets unless a test overrides them: the shared models, this Redis, one worker thread.</summary>
    public Dictionary<string, string?> Settings { get; } = new(ServiceProcess.SharedModelSettings());

    public async Task<ApiHost> StartApiAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = Merge(overrides);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = Track(ServiceProcess.StartApi(url, settings));
        await api.WaitForHttpAsync(url + "/livez", StartTimeout);
        var client = new FaceObjectClient(url);
        _clients.Add(client);
        return new ApiHost(api, client, url);
    }

    /// <summary>Starts a worker and waits until its models are loaded and warmed up (it takes jobs from then on).</summary>
    public async Task<ServiceProcess> StartWorkerAsync(string queue, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var worker = StartWorker(queue, overrides);
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
        return worker;
    }

    /// <summary>Starts a stream worker (<c>--streams</c>, no queues) and waits until its object model is warmed up.</summary>
    public async Task<ServiceProcess> StartStreamWorkerAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var worker = Track(ServiceProcess.Start("FaceObject.Worker", ["--streams"], Merge(overrides)));
        await worker.WaitForOutputAsync("Model object (", StartTimeout);
        return worker;
    }

    public ServiceProcess StartWorker(string queue, IReadOnlyDictionary<string, string?>? overrides = null) =>
        Track(ServiceProcess.StartWorker(queue, Merge(overrides)));

    /// <summary>
    /// What a failed test needs to tell why a job is where it is: its Hangfire state and history, which process
    /// fetched it, and the end of every process's output.
    /// </summary>
    public async Task<string> DescribeJobAsync(string jobId)
    {
        var report = new System.Text.StringBuilder();
        var state = await Db.HashGetAllAsync($"{{hangfire}}:job:{jobId}:state");
        report.AppendLine($"state: {string.Join(", ", state.Select(e => $"{e.Name}={e.Value}"))}");
        foreach (var entry in await Db.ListRangeAsync($"{{hangfire}}:job:{jobId}:history"))
        {
            report.AppendLine($"history: {entry}");
        }

        foreach (var queue in await Db.SetMembersAsync("{hangfire}:queues"))
        {
            report.AppendLine($"fetched by ({queue}): {await Db.HashGetAsync($"{{hangfire}}:queue:{queue}:fetched-by", jobId)}");
        }

        foreach (var process in _processes)
        {
            var output = process.Output;
            report.AppendLine($"--- process {process.ProcessId} ({(process.HasExited ? $"exited with {process.ExitCode}" : "running")}), last output:");
            report.AppendLine(output.Length > 3000 ? output[^3000..] : output);
            if (process.HasExited)
            {
                // Why it ended is usually long before its last lines (a stack trace fills those).
                var lines = output.Split('\n');
                var ending = lines.Select((line, i) => (line, i))
                    .Where(l => l.line.StartsWith("crit:", StringComparison.Ordinal) || l.line.StartsWith("fail:", StringComparison.Ordinal)
                        || l.line.Contains("cannot start", StringComparison.Ordinal) || l.line.Contains("shutting down", StringComparison.Ordinal))
                    .TakeLast(12)
                    .Select(l => string.Join('\n', lines.Skip(l.i).Take(3)));
                report.AppendLine("--- its errors and stop (each with the two lines after it):");
                report.AppendLine(string.Join('\n', ending));
            }
        }

        return report.ToString();
    }

    /// <summary>Keys matching <paramref name="pattern"/> (SCAN, so expired keys are not counted).</summary>
    public List<string> Keys(string pattern) =>
        Connection.GetServers()[0].Keys(pattern: pattern, pageSize: 1000).Select(k => k.ToString()).ToList();

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (_connection.IsValueCreated)
        {
            _connection.Value.Dispose();
        }

        Redis.Dispose();
    }

    private Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? overrides)
    {
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["ConnectionStrings:Redis"] = Redis.ConnectionString,
            ["Worker:WorkerCount"] = "1",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }
}

/// <summary>A running API process and a client for it.</summary>
internal sealed record ApiHost(ServiceProcess Process, FaceObjectClient Client, string Url)
{
    /// <summary>The <c>GET /api/queues</c> entry of one queue.</summary>
    public async Task<JsonObject> QueueAsync(string name)
    {
        var queues = JsonNode.Parse(await Client.Http.GetStringAsync(new Uri("/api/queues", UriKind.Relative)))!.AsArray();
        return queues.Single(q => q!["name"]!.GetValue<string>() == name)!.AsObject();
    }
}

using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// A real redis-server, the API (enqueueing only) and worker processes against it, all on 127.0.0.1; everything
/// started is stopped on dispose. <see cref="Settings"/> go to every process started after they are set.
/// </summary>
internal sealed class DistributedHarness : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ServiceProcess> _processes = [];

    public DistributedHarness()
    {
        Settings = ServiceProcess.SharedModelSettings();
        Settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        Settings["Worker:WorkerCount"] = "1";
    }

    public RedisServer Redis { get; } = new();

    public Dictionary<string, string?> Settings { get; }

    public async Task<FaceObjectClient> StartApiAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = ServiceProcess.StartApi(url, Settings);
        _processes.Add(api);
        await api.WaitForHttpAsync(url + "/livez", StartTimeout);
        return new FaceObjectClient(url);
    }

    /// <summary>Starts a worker for <paramref name="queue"/> and waits until its model is loaded and warmed up.</summary>
    public async Task<ServiceProcess> StartWorkerAsync(string queue)
    {
        var worker = ServiceProcess.StartWorker(queue, Settings);
        _processes.Add(worker);
        await worker.WaitForOutputAsync("warmed up", StartTimeout);
        return worker;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Redis.Dispose();
    }
}

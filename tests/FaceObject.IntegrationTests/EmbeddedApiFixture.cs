using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>The all-in-one host (no Redis: in-memory storage, in-process workers for every queue) on a free port.</summary>
public sealed class EmbeddedApiFixture : IAsyncLifetime
{
    private ServiceProcess? _api;

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public FaceObjectClient Client { get; private set; } = null!;

    public ServiceProcess Api => _api!;

    /// <summary>Settings a test class may add before start (e.g. dashboard credentials).</summary>
    internal Dictionary<string, string?> Settings { get; } = ServiceProcess.SharedModelSettings();

    public async Task InitializeAsync()
    {
        Settings["Worker:WorkerCount"] = "1";
        Settings["Api:MaxImageBytes"] = "2000000";
        _api = ServiceProcess.StartAllInOne(BaseUrl, Settings);
        await _api.WaitForHttpAsync(BaseUrl + "/livez", TimeSpan.FromSeconds(60));
        Client = new FaceObjectClient(BaseUrl);
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _api?.Dispose();
        return Task.CompletedTask;
    }
}

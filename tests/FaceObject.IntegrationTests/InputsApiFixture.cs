using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// The all-in-one host allowed to reach 127.0.0.1 (Fetch:AllowedHosts), with short fetch and callback timings so
/// failures show quickly, and a local HTTP server (<see cref="TestSite"/>) to fetch from and deliver to.
/// </summary>
public sealed class InputsApiFixture : IAsyncLifetime
{
    public const string CallbackSecret = "test-secret-f00d";

    private ServiceProcess? _api;

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public FaceObjectClient Client { get; private set; } = null!;

    public LocalHttpServer Site { get; private set; } = null!;

    public ServiceProcess Api => _api!;

    public async Task InitializeAsync()
    {
        Site = await LocalHttpServer.StartAsync(TestSite.Map);
        var settings = ServiceProcess.SharedModelSettings();
        settings["Worker:WorkerCount"] = "2";
        settings["Worker:RetryAttempts"] = "1";
        settings["Api:MaxImageBytes"] = "2000000";
        settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        // Well above what a loaded CI machine needs to serve a small file, well below the slow test page's 30 s.
        settings["Fetch:Timeout"] = "00:00:10";
        settings["Callbacks:Secret"] = CallbackSecret;
        settings["Callbacks:RetryDelays"] = "1,1";
        settings["Callbacks:Timeout"] = "00:00:02";
        _api = ServiceProcess.StartAllInOne(BaseUrl, settings);
        await _api.WaitForHttpAsync(BaseUrl + "/livez", TimeSpan.FromSeconds(60));
        Client = new FaceObjectClient(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        _api?.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }
}

/// <summary>The all-in-one host with the default address policy (nothing private allowed), and a local server it must not reach.</summary>
public sealed class DefaultPolicyApiFixture : IAsyncLifetime
{
    private ServiceProcess? _api;

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";

    public FaceObjectClient Client { get; private set; } = null!;

    public LocalHttpServer Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Site = await LocalHttpServer.StartAsync(TestSite.Map);
        var settings = ServiceProcess.SharedModelSettings();
        settings["Worker:WorkerCount"] = "1";
        settings["Worker:RetryAttempts"] = "0";
        _api = ServiceProcess.StartAllInOne(BaseUrl, settings);
        await _api.WaitForHttpAsync(BaseUrl + "/livez", TimeSpan.FromSeconds(60));
        Client = new FaceObjectClient(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        _api?.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InputsApiGroup : ICollectionFixture<InputsApiFixture>
{
    public const string Name = "Inputs API";
}

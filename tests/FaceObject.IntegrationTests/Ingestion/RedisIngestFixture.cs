using FaceObject.Testing;
using StackExchange.Redis;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>
/// A real redis-server and the all-in-one host reading its ingest stream (Ingest:Redis:Enabled=true, entries claimed
/// after 2 s idle), allowed to fetch from and call back to the local <see cref="TestSite"/>.
/// </summary>
public sealed class RedisIngestFixture : IAsyncLifetime
{
    public const string Stream = "faceobject:ingest";
    public const string Group = "faceobject";
    public const string Results = "faceobject:results";
    public const string Dead = "faceobject:ingest:dead";

    private ServiceProcess? _api;

    public RedisServer Redis { get; } = new();

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public IDatabase Db => Connection.GetDatabase();

    public FaceObjectClient Client { get; private set; } = null!;

    public LocalHttpServer Site { get; private set; } = null!;

    public ServiceProcess Api => _api!;

    /// <summary>The host's settings, for a second consumer of the same stream.</summary>
    public Dictionary<string, string?> Settings { get; } = ServiceProcess.SharedModelSettings();

    public async Task InitializeAsync()
    {
        Site = await LocalHttpServer.StartAsync(TestSite.Map);
        Connection = Redis.Connect();
        var settings = Settings;
        settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        settings["Worker:WorkerCount"] = "2";
        settings["Api:MaxImageBytes"] = "2000000";
        settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        settings["Ingest:Redis:Enabled"] = "true";
        settings["Ingest:Redis:ClaimIdle"] = "00:00:02";
        settings["Ingest:Redis:PollInterval"] = "00:00:00.050";
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        _api = ServiceProcess.StartAllInOne(url, settings);
        await _api.WaitForHttpAsync(url + "/livez", TimeSpan.FromSeconds(90));
        await _api.WaitForOutputAsync("Ingesting stream", TimeSpan.FromSeconds(30));
        Client = new FaceObjectClient(url);
        BaseUrl = url;
    }

    public string BaseUrl { get; private set; } = "";

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        _api?.Dispose();
        Connection?.Dispose();
        Redis.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisIngestGroup : ICollectionFixture<RedisIngestFixture>
{
    public const string Name = "Redis ingest";
}

using FaceObject.Testing;
using RabbitMQ.Client;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>
/// A real RabbitMQ broker and redis-server, and the all-in-one host consuming the broker's ingest queue
/// (Ingest:RabbitMq:Enabled=true), allowed to fetch from and call back to the local <see cref="TestSite"/>.
/// </summary>
public sealed class RabbitMqIngestFixture : IAsyncLifetime
{
    public const string Queue = "faceobject.ingest";
    public const string DeadLetterQueue = "faceobject.ingest.dead";
    public const string ResultsExchange = "faceobject.results";

    private ServiceProcess? _api;

    public RabbitMqServer Broker { get; private set; } = null!;

    public RedisServer Redis { get; } = new();

    public FaceObjectClient Client { get; private set; } = null!;

    public LocalHttpServer Site { get; private set; } = null!;

    public ServiceProcess Api => _api!;

    public Dictionary<string, string?> Settings { get; } = ServiceProcess.SharedModelSettings();

    public async Task InitializeAsync()
    {
        Site = await LocalHttpServer.StartAsync(TestSite.Map);
        Broker = new RabbitMqServer();
        Settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        Settings["Worker:WorkerCount"] = "2";
        Settings["Api:MaxImageBytes"] = "2000000";
        Settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        Settings["Ingest:RabbitMq:Enabled"] = "true";
        Settings["Ingest:RabbitMq:Url"] = Broker.Url.ToString();
        _api = await StartHostAsync();
        Client = new FaceObjectClient(BaseUrl);
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts an all-in-one host consuming the queue and waits until it consumes; the fixture stops it on dispose.</summary>
    public async Task<ServiceProcess> StartHostAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var host = ServiceProcess.StartAllInOne(url, Settings);
        await host.WaitForHttpAsync(url + "/livez", TimeSpan.FromSeconds(90));
        await host.WaitForOutputAsync("Ingesting RabbitMQ queue", TimeSpan.FromSeconds(30));
        BaseUrl = BaseUrl.Length == 0 ? url : BaseUrl;
        return host;
    }

    /// <summary>Publishes one persistent message to the ingest queue through the default exchange.</summary>
    public async Task PublishAsync(string body, string? messageId = null)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var properties = new BasicProperties { Persistent = true, MessageId = messageId, ContentType = "application/json" };
        await channel.BasicPublishAsync("", Queue, mandatory: false, properties, System.Text.Encoding.UTF8.GetBytes(body));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        _api?.Dispose();
        Broker?.Dispose();
        Redis.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RabbitMqIngestGroup : ICollectionFixture<RabbitMqIngestFixture>
{
    public const string Name = "RabbitMQ ingest";
}

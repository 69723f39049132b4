using System.Text;
using System.Text.Json.Nodes;
using FaceObject.Testing;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>
/// Seed 000's flow on both brokers: a producer puts the image in the bucket and publishes its key; the API reads the
/// message, a worker (a separate process) reads the object and writes <c>results/{task_id}.json</c>, the callback is
/// made and the result is published. Real s3rver, redis-server and RabbitMQ; the API enqueues only.
/// </summary>
public sealed class BucketMessageTests(BucketIngestFixture fixture) : IClassFixture<BucketIngestFixture>
{
    private const string Bucket = BucketIngestFixture.Bucket;
    private static readonly TimeSpan Timeout = IngestChecks.Timeout;

    [Fact]
    public async Task ImageKeyMessages_OnEitherBroker_AreReadFromTheBucket_WithResultObjectCallbackAndResultMessage()
    {
        await fixture.S3.PutObjectAsync(Bucket, "images/by-stream.jpg", TestPaths.ImageBytes("dog.jpg"));
        await fixture.S3.PutObjectAsync(Bucket, "images/by-amqp.jpg", TestPaths.ImageBytes("dog.jpg"));
        var byStream = "s3-stream-" + Guid.NewGuid().ToString("N");
        var byAmqp = "s3-amqp-" + Guid.NewGuid().ToString("N");
        await using var amqp = await fixture.Broker.ConnectAsync();
        await using var channel = await amqp.CreateChannelAsync();
        var amqpResults = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(amqpResults, "faceobject.results", "task.*");
        using var redis = fixture.Redis.Connect();

        await redis.GetDatabase().StreamAddAsync(RedisIngestFixture.Stream, "message", Message(byStream, "images/by-stream.jpg"));
        await channel.BasicPublishAsync("", RabbitMqIngestFixture.Queue, mandatory: false, new BasicProperties { Persistent = true },
            Encoding.UTF8.GetBytes(Message(byAmqp, "images/by-amqp.jpg")));

        foreach (var (taskId, key) in new[] { (byStream, "images/by-stream.jpg"), (byAmqp, "images/by-amqp.jpg") })
        {
            await IngestChecks.WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, $"task {taskId} to be ingested");
            var task = await fixture.Client.WaitForCallbackAsync(taskId, Timeout);
            task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
            FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
            task["storage"]!["original"]!.GetValue<string>().Should().Be(key, "the worker read the producer's object; nothing was copied");
            fixture.Site.RequestsTo($"/hooks/ok/{taskId}").Should().ContainSingle();
            var resultObject = await fixture.S3.GetObjectAsync(Bucket, $"results/{taskId}.json");
            resultObject.Should().NotBeNull("seed 000's workers write results/{task_id}.json");
            JsonNode.Parse(resultObject!)!["task_id"]!.GetValue<string>().Should().Be(taskId);
        }

        var streamed = (await redis.GetDatabase().StreamRangeAsync(RedisIngestFixture.Results)).Where(e => e["task_id"] == byStream).ToArray();
        streamed.Should().ContainSingle().Which["status"].ToString().Should().Be("completed");
        BasicGetResult? published = null;
        await IngestChecks.WaitUntilAsync(async () => (published = await channel.BasicGetAsync(amqpResults, autoAck: true)) is not null, "the RabbitMQ result");
        published!.BasicProperties.MessageId.Should().Be(byAmqp);
        JsonNode.Parse(published.Body.Span)!["storage"]!["result"]!.GetValue<string>().Should().Be($"results/{byAmqp}.json");
    }

    [Fact]
    public async Task ImageKeyMessage_ForAMissingObject_IsDeadLetteredNamingTheKey()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var redis = fixture.Redis.Connect();
        var entryId = await redis.GetDatabase().StreamAddAsync(RedisIngestFixture.Stream, "message", Message("missing-" + marker, "images/none.jpg"));

        StreamEntry[] dead = [];
        await IngestChecks.WaitUntilAsync(async () =>
        {
            dead = (await redis.GetDatabase().StreamRangeAsync(RedisIngestFixture.Dead)).Where(e => e["entry_id"] == entryId).ToArray();
            return dead.Length > 0;
        }, "the message to be dead-lettered");
        dead[0]["reason"].ToString().Should().Contain("images/none.jpg").And.Contain(Bucket);
        (await fixture.Client.GetTaskAsync("missing-" + marker)).Should().BeNull("a message that can never succeed makes no task");
    }

    private string Message(string taskId, string key) => new JsonObject
    {
        ["task_id"] = taskId,
        ["model"] = "object",
        ["image_key"] = key,
        ["callback_url"] = $"{fixture.Site.BaseUrl}/hooks/ok/{taskId}",
    }.ToJsonString();}

/// <summary>s3rver with a bucket, redis-server, RabbitMQ, a local site for callbacks, an enqueue-only API reading both brokers and an object worker.</summary>
public sealed class BucketIngestFixture : IAsyncLifetime
{
    public const string Bucket = "faceobject-ingest";

    private readonly List<ServiceProcess> _processes = [];

    public RedisServer Redis { get; } = new();

    public S3Server S3 { get; } = new();

    public RabbitMqServer Broker { get; private set; } = null!;

    public LocalHttpServer Site { get; private set; } = null!;

    public FaceObjectClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Broker = new RabbitMqServer();
        Site = await LocalHttpServer.StartAsync(TestSite.Map);
        using (var s3 = S3.CreateClient())
        {
            await s3.PutBucketAsync(Bucket);
        }

        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = Redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        settings["Ingest:Redis:Enabled"] = "true";
        settings["Ingest:Redis:PollInterval"] = "00:00:00.050";
        settings["Ingest:RabbitMq:Enabled"] = "true";
        settings["Ingest:RabbitMq:Url"] = Broker.Url.ToString();
        foreach (var (key, value) in S3.Settings(Bucket, S3Server.AccessKey))
        {
            settings[key] = value;
        }

        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = Track(ServiceProcess.StartApi(url, settings));
        var worker = Track(ServiceProcess.StartWorker("object", settings));
        await api.WaitForHttpAsync(url + "/livez", IngestChecks.Timeout);
        await api.WaitForOutputAsync("Ingesting RabbitMQ queue", IngestChecks.Timeout);
        await worker.WaitForOutputAsync("warmed up", IngestChecks.Timeout);
        Client = new FaceObjectClient(url);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        Broker?.Dispose();
        S3.Dispose();
        Redis.Dispose();
        if (Site is not null)
        {
            await Site.DisposeAsync();
        }
    }

    private ServiceProcess Track(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }
}

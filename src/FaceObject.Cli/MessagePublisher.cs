using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace FaceObject.Cli;

/// <summary>
/// Submits by message (<c>--via redis-stream|amqp</c>) instead of HTTP: one document per input, in the format the
/// server's ingestion reads (docs/messages.md), with a fresh <c>task_id</c> so the task can be followed at once.
/// </summary>
internal abstract class MessagePublisher : IAsyncDisposable
{
    public const string Stream = "faceobject:ingest";
    public const string Queue = "faceobject.ingest";

    public static async Task<MessagePublisher> ConnectAsync(string transport, string broker) => transport switch
    {
        Transports.Amqp => await AmqpPublisher.ConnectAsync(new Uri(broker)),
        _ => await RedisStreamPublisher.ConnectAsync(broker),
    };

    /// <summary>Publishes one image file; answers like a submit: <c>task_id</c>, <c>status</c> (published), <c>status_url</c>.</summary>
    public async Task<JsonObject> PublishFileAsync(MessageTarget target, string path, IReadOnlyList<KeyValuePair<string, string>> options, CancellationToken cancellationToken) =>
        await PublishAsync(target, "image", Convert.ToBase64String(await File.ReadAllBytesAsync(path, cancellationToken)), options);

    public Task<JsonObject> PublishUrlAsync(MessageTarget target, string url, IReadOnlyList<KeyValuePair<string, string>> options) =>
        PublishAsync(target, "image_url", url, options);

    public abstract ValueTask DisposeAsync();

    protected abstract Task SendAsync(string taskId, byte[] body);

    private async Task<JsonObject> PublishAsync(MessageTarget target, string field, string value, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        var taskId = Guid.CreateVersion7().ToString();
        var message = new JsonObject { ["task_id"] = taskId, [target.Field] = target.Name, [field] = value };
        if (options.Count > 0)
        {
            message["options"] = new JsonObject(options.Select(o => new KeyValuePair<string, JsonNode?>(o.Key, o.Value)));
        }

        await SendAsync(taskId, Encoding.UTF8.GetBytes(message.ToJsonString()));
        return new JsonObject { ["task_id"] = taskId, ["status"] = "published", ["status_url"] = $"/api/task/{taskId}" };
    }

    private sealed class RedisStreamPublisher(ConnectionMultiplexer redis) : MessagePublisher
    {
        public static async Task<MessagePublisher> ConnectAsync(string broker)
        {
            var options = new ConfigurationOptions { AbortOnConnectFail = true };
            if (Uri.TryCreate(broker, UriKind.Absolute, out var url) && url.Scheme is "redis" or "rediss")
            {
                options.EndPoints.Add(url.Host, url.IsDefaultPort ? 6379 : url.Port);
                options.Ssl = url.Scheme == "rediss";
                var secret = Uri.UnescapeDataString(url.UserInfo);
                options.Password = secret.Contains(':', StringComparison.Ordinal) ? secret[(secret.IndexOf(':', StringComparison.Ordinal) + 1)..] : NonEmpty(secret);
                options.DefaultDatabase = int.TryParse(url.AbsolutePath.Trim('/'), out var db) ? db : null;
            }
            else
            {
                options = ConfigurationOptions.Parse(broker);
            }

            return new RedisStreamPublisher(await ConnectionMultiplexer.ConnectAsync(options));
        }

        public override async ValueTask DisposeAsync() => await redis.DisposeAsync();

        protected override Task SendAsync(string taskId, byte[] body) =>
            redis.GetDatabase().StreamAddAsync(Stream, "message", body);

        private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
    }

    private sealed class AmqpPublisher(IConnection connection, IChannel channel) : MessagePublisher
    {
        public static async Task<MessagePublisher> ConnectAsync(Uri broker)
        {
            var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "faceobject-cli" }.CreateConnectionAsync();
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
            return new AmqpPublisher(connection, channel);
        }

        public override async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }

        protected override async Task SendAsync(string taskId, byte[] body)
        {
            var properties = new BasicProperties { Persistent = true, MessageId = taskId, ContentType = "application/json" };
            await channel.BasicPublishAsync("", Queue, mandatory: true, properties, body);
        }
    }
}

/// <summary>What a message runs: <c>{"model": name}</c> or <c>{"pipeline": name}</c>.</summary>
internal sealed record MessageTarget(string Field, string Name);

using System.ComponentModel.DataAnnotations;

namespace FaceObject.Api.Ingestion;

/// <summary><c>Ingest:*</c>: tasks that arrive as broker messages instead of HTTP requests. Each broker is off by default.</summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>
    /// Largest message body, in bytes; a bigger one is dead-lettered. Unset: enough for an <c>image</c> of
    /// <c>Api:MaxImageBytes</c> in base64 plus 64 KiB of fields.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long? MaxMessageBytes { get; set; }

    /// <summary>
    /// Fault testing only (zero, off, in production): how long to hold each accepted message after its task is
    /// recorded and before it is acknowledged, so a test can kill the process exactly there. Logged as a warning.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FaultTestingPauseBeforeAck { get; set; }

    public RedisIngestOptions Redis { get; set; } = new();

    public RabbitMqIngestOptions RabbitMq { get; set; } = new();

    public long MessageLimit(long maxImageBytes) => MaxMessageBytes ?? (maxImageBytes + 2) / 3 * 4 + 64 * 1024;
}

/// <summary><c>Ingest:Redis:*</c>: a consumer group on a Redis stream, on the Redis the queues use.</summary>
internal sealed class RedisIngestOptions
{
    public bool Enabled { get; set; }

    [Required]
    public string Stream { get; set; } = "faceobject:ingest";

    [Required]
    public string Group { get; set; } = "faceobject";

    [Required]
    public string ResultsStream { get; set; } = "faceobject:results";

    [Required]
    public string DeadLetterStream { get; set; } = "faceobject:ingest:dead";

    /// <summary>How long an entry stays pending with a consumer before another claims it (the first one died).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most entries read in one call, and submitted at once.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 16;

    /// <summary>The wait between reads when the stream had nothing new.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Entries kept on the results and dead-letter streams (approximate trim, oldest first).</summary>
    [Range(1, int.MaxValue)]
    public int MaxLength { get; set; } = 100_000;
}

/// <summary><c>Ingest:RabbitMq:*</c>: a durable queue on a RabbitMQ broker (seed 002's broker).</summary>
internal sealed class RabbitMqIngestOptions
{
    public bool Enabled { get; set; }

    /// <summary>The broker, e.g. <c>amqp://user:password@rabbitmq:5672/</c>; required when enabled.</summary>
    public Uri? Url { get; set; }

    [Required]
    public string Queue { get; set; } = "faceobject.ingest";

    /// <summary>A durable queue that receives each refused message with its reason in the <c>x-reason</c> header.</summary>
    [Required]
    public string DeadLetterQueue { get; set; } = "faceobject.ingest.dead";

    /// <summary>A durable topic exchange; each result is published with the routing key <c>task.{status}</c>.</summary>
    [Required]
    public string ResultsExchange { get; set; } = "faceobject.results";

    /// <summary>Most messages delivered and not yet acknowledged, and how many are submitted at once.</summary>
    [Range(1, 1000)]
    public ushort Prefetch { get; set; } = 16;
}

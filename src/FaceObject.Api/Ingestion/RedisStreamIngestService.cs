using FaceObject.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace FaceObject.Api.Ingestion;

/// <summary>
/// Reads <c>Ingest:Redis:Stream</c> in a consumer group: each entry's <c>message</c> becomes a task. An entry is
/// acknowledged only once its task is recorded and enqueued (or it is dead-lettered), so an entry read by a process
/// that dies stays pending, and after <c>ClaimIdle</c> another consumer takes it with XAUTOCLAIM. A redelivered entry
/// replays its task (its <c>task_id</c>, else its entry id, is the idempotency key), so it never makes a second one.
/// </summary>
internal sealed partial class RedisStreamIngestService(
    IConnectionMultiplexer redis,
    MessageIngestor ingestor,
    TaskResultWatcher results,
    IOptions<IngestOptions> options,
    ILogger<RedisStreamIngestService> logger) : BackgroundService
{
    public const string Broker = "redis";
    public const string MessageField = "message";
    public const string ReasonField = "reason";

    private readonly RedisIngestOptions _options = options.Value.Redis;
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_options.Stream, _options.Group, _consumer);
        var groupReady = false;
        var claimed = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                groupReady = groupReady || await EnsureGroupAsync(db);
                var entries = await db.StreamReadGroupAsync(_options.Stream, _options.Group, _consumer, StreamPosition.NewMessages, _options.BatchSize);
                if (entries.Length == 0 && DateTime.UtcNow - claimed > _options.ClaimIdle / 2)
                {
                    // The entries a dead consumer read and never acknowledged (and this one's own, put off by a retry).
                    claimed = DateTime.UtcNow;
                    var claim = await db.StreamAutoClaimAsync(_options.Stream, _options.Group, _consumer,
                        (long)_options.ClaimIdle.TotalMilliseconds, "0-0", _options.BatchSize);
                    entries = claim.ClaimedEntries;
                }

                // The batch's entries at once, as the RabbitMQ consumer runs its prefetch: each is one submit's Redis
                // round trips, so one after the other they cap a process at a few hundred a second.
                await Task.WhenAll(entries.Select(entry => HandleAsync(db, entry, stoppingToken)));

                if (entries.Length == 0)
                {
                    await Task.Delay(_options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StorageFaults.IsRedisFault(e))
            {
                // Redis restarting or unreachable: nothing was acknowledged, so nothing is lost; read again shortly.
                groupReady = false;
                LogRedisDown(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task HandleAsync(IDatabase db, StreamEntry entry, CancellationToken stoppingToken)
    {
        var body = entry[MessageField];
        var outcome = body.IsNull
            ? IngestOutcome.Poison($"The entry has no '{MessageField}' field; put the JSON document in the field '{MessageField}'.")
            : await ingestor.IngestAsync((byte[])body!, $"{_options.Stream}/{entry.Id}", stoppingToken);
        MessageIngestor.Count(Broker, outcome);
        switch (outcome.Verdict)
        {
            case IngestVerdict.Accepted:
                await db.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id);
                LogAccepted(outcome.TaskId!, entry.Id);
                _ = results.PublishWhenEndedAsync(outcome.TaskId!, PublishResultAsync, stoppingToken);
                break;
            case IngestVerdict.Answered:
                await db.StreamAddAsync(_options.ResultsStream,
                    [new(MessageField, outcome.Reply), new("task_id", outcome.TaskId ?? ""), new("status", outcome.Reason), new("type", HealthCheckMessage.Type)],
                    maxLength: _options.MaxLength, useApproximateMaxLength: true);
                await db.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id);
                break;
            case IngestVerdict.Poison:
                await db.StreamAddAsync(_options.DeadLetterStream,
                    [new(MessageField, body.IsNull ? RedisValue.EmptyString : body), new(ReasonField, outcome.Reason), new("entry_id", entry.Id)],
                    maxLength: _options.MaxLength, useApproximateMaxLength: true);
                await db.StreamAcknowledgeAsync(_options.Stream, _options.Group, entry.Id);
                LogDeadLettered(entry.Id, outcome.Reason!);
                break;
            default:
                LogPutOff(entry.Id, outcome.Reason!);
                break;
        }
    }

    private Task PublishResultAsync(string taskId, string status, byte[] document) =>
        redis.GetDatabase().StreamAddAsync(_options.ResultsStream,
            [new(MessageField, document), new("task_id", taskId), new("status", status)], maxLength: _options.MaxLength, useApproximateMaxLength: true);

    /// <summary>Creates the group (and the stream) reading from the start; true also when it exists already.</summary>
    private async Task<bool> EnsureGroupAsync(IDatabase db)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(_options.Stream, _options.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingesting stream {Stream} in group {Group} as consumer {Consumer}")]
    private partial void LogStarted(string stream, string group, string consumer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: accepted from stream entry {EntryId}")]
    private partial void LogAccepted(string taskId, RedisValue entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream entry {EntryId} dead-lettered: {Reason}")]
    private partial void LogDeadLettered(RedisValue entryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream entry {EntryId} left pending to retry: {Reason}")]
    private partial void LogPutOff(RedisValue entryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream ingestion paused, Redis is unreachable: {Reason}")]
    private partial void LogRedisDown(string reason);
}

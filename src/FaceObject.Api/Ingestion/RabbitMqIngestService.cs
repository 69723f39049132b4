using System.Text;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace FaceObject.Api.Ingestion;

/// <summary>
/// Consumes <c>Ingest:RabbitMq:Queue</c> with manual acknowledgements: a message is acknowledged only once its task
/// is recorded and enqueued (or it is dead-lettered), so one delivered to a process that dies goes back to the queue
/// and to another consumer. A redelivered message replays its task (its <c>task_id</c>, else its message id, is the
/// idempotency key). When the broker goes away the service reconnects every second.
/// </summary>
internal sealed partial class RabbitMqIngestService(
    MessageIngestor ingestor,
    TaskResultWatcher results,
    IOptions<IngestOptions> options,
    ILogger<RabbitMqIngestService> logger) : BackgroundService
{
    public const string Broker = "rabbitmq";
    public const string ReasonHeader = "x-reason";

    private readonly RabbitMqIngestOptions _options = options.Value.RabbitMq;
    private IChannel? _publisher;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = _options.Url!,
            AutomaticRecoveryEnabled = false,
            ConsumerDispatchConcurrency = _options.Prefetch,
            ClientProvidedName = "faceobject-ingest",
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilClosedAsync(factory, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException)
            {
                // Nothing unacknowledged is lost: the broker delivers it again once this or another consumer is back.
                LogBrokerDown(e.Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }

    private async Task ConsumeUntilClosedAsync(ConnectionFactory factory, CancellationToken stoppingToken)
    {
        await using var connection = await factory.CreateConnectionAsync(stoppingToken);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionShutdownAsync += (_, _) =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await using var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await using var publisher = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        await channel.QueueDeclareAsync(_options.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        await channel.QueueDeclareAsync(_options.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: stoppingToken);
        await channel.ExchangeDeclareAsync(_options.ResultsExchange, ExchangeType.Topic, durable: true, cancellationToken: stoppingToken);
        await channel.BasicQosAsync(0, _options.Prefetch, global: false, stoppingToken);
        _publisher = publisher;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleAsync(channel, publisher, delivery, stoppingToken);
        await channel.BasicConsumeAsync(_options.Queue, autoAck: false, consumer, stoppingToken);
        LogStarted(_options.Queue, _options.Url!.Host);
        try
        {
            await closed.Task.WaitAsync(stoppingToken);
        }
        finally
        {
            _publisher = null;
        }
    }

    private async Task HandleAsync(IChannel channel, IChannel publisher, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var messageId = delivery.BasicProperties.MessageId;
        var outcome = await ingestor.IngestAsync(delivery.Body, messageId is null ? null : $"{_options.Queue}/{messageId}", stoppingToken);
        MessageIngestor.Count(Broker, outcome);
        switch (outcome.Verdict)
        {
            case IngestVerdict.Accepted:
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                LogAccepted(outcome.TaskId!, delivery.DeliveryTag);
                _ = results.PublishWhenEndedAsync(outcome.TaskId!, PublishResultAsync, stoppingToken);
                break;
            case IngestVerdict.Answered:
                await PublishAnswerAsync(publisher, delivery.BasicProperties, outcome, stoppingToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                break;
            case IngestVerdict.Poison:
                var properties = new BasicProperties
                {
                    Persistent = true,
                    MessageId = messageId,
                    ContentType = delivery.BasicProperties.ContentType,
                    Headers = new Dictionary<string, object?> { [ReasonHeader] = Encoding.UTF8.GetBytes(outcome.Reason!) },
                };
                await publisher.BasicPublishAsync("", _options.DeadLetterQueue, mandatory: false, properties, delivery.Body, stoppingToken);
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, stoppingToken);
                LogDeadLettered(delivery.DeliveryTag, outcome.Reason!);
                break;
            default:
                LogPutOff(delivery.DeliveryTag, outcome.Reason!);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, stoppingToken);
                break;
        }
    }

    /// <summary>
    /// The answer goes to the results exchange as <c>health.{status}</c>, and also, AMQP's request-reply way, to the
    /// asker's <c>reply_to</c> queue with its <c>correlation_id</c> when it gave one.
    /// </summary>
    private async Task PublishAnswerAsync(IChannel publisher, IReadOnlyBasicProperties asked, IngestOutcome outcome, CancellationToken stoppingToken)
    {
        var properties = new BasicProperties { MessageId = outcome.TaskId, CorrelationId = asked.CorrelationId, ContentType = "application/json" };
        await publisher.BasicPublishAsync(_options.ResultsExchange, "health." + outcome.Reason, mandatory: false, properties, outcome.Reply, stoppingToken);
        if (asked.ReplyTo is { Length: > 0 } replyTo)
        {
            await publisher.BasicPublishAsync("", replyTo, mandatory: false, properties, outcome.Reply, stoppingToken);
        }
    }

    private async Task PublishResultAsync(string taskId, string status, byte[] document)
    {
        var publisher = _publisher ?? throw new IOException("The broker connection is down.");
        var properties = new BasicProperties { Persistent = true, MessageId = taskId, ContentType = "application/json" };
        await publisher.BasicPublishAsync(_options.ResultsExchange, "task." + status, mandatory: false, properties, document);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingesting RabbitMQ queue {Queue} on {Host}")]
    private partial void LogStarted(string queue, string host);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: accepted from RabbitMQ delivery {DeliveryTag}")]
    private partial void LogAccepted(string taskId, ulong deliveryTag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ delivery {DeliveryTag} dead-lettered: {Reason}")]
    private partial void LogDeadLettered(ulong deliveryTag, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ delivery {DeliveryTag} given back to retry: {Reason}")]
    private partial void LogPutOff(ulong deliveryTag, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ ingestion paused, the broker is unreachable: {Reason}")]
    private partial void LogBrokerDown(string reason);
}

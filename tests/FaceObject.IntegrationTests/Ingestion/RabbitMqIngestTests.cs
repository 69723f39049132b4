using System.Text;
using System.Text.Json.Nodes;
using FaceObject.Testing;
using RabbitMQ.Client;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>Tasks submitted as messages on a real RabbitMQ queue consumed by the all-in-one host.</summary>
[Collection(RabbitMqIngestGroup.Name)]
public sealed class RabbitMqIngestTests(RabbitMqIngestFixture fixture)
{
    private static readonly TimeSpan Timeout = IngestChecks.Timeout;

    [Fact]
    public async Task InlineImage_CompletesUnderProducersTaskId_WithResultMessageAndCallback()
    {
        await using var connection = await fixture.Broker.ConnectAsync();
        await using var results = await connection.CreateChannelAsync();
        var resultsQueue = (await results.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await results.QueueBindAsync(resultsQueue, RabbitMqIngestFixture.ResultsExchange, "task.*");
        var taskId = "amqp-inline-" + Guid.NewGuid().ToString("N");
        var hook = $"/hooks/ok/{taskId}";

        await fixture.PublishAsync(new JsonObject
        {
            ["task_id"] = taskId,
            ["model"] = "object",
            ["image"] = Convert.ToBase64String(TestPaths.ImageBytes("dog.jpg")),
            ["callback_url"] = fixture.Site.BaseUrl + hook,
        }.ToJsonString());

        await WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, "the task to be ingested");
        var task = await fixture.Client.WaitForCallbackAsync(taskId, Timeout);
        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        fixture.Site.RequestsTo(hook).Should().ContainSingle();

        BasicGetResult? result = null;
        await WaitUntilAsync(async () => (result = await results.BasicGetAsync(resultsQueue, autoAck: true)) is not null, "a result message");
        result!.RoutingKey.Should().Be("task.completed");
        result.BasicProperties.MessageId.Should().Be(taskId);
        var document = JsonNode.Parse(result.Body.Span)!.AsObject();
        document["task_id"]!.GetValue<string>().Should().Be(taskId);
        document["result"]!.ToJsonString().Should().Be(task["result"]!.ToJsonString(), "the result message is the document GET /api/task/{id} answers");
    }

    [Fact]
    public async Task HealthCheckMessage_IsAnsweredToItsReplyQueue_AndOnTheResultsExchange()
    {
        await using var connection = await fixture.Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var replies = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var results = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(results, RabbitMqIngestFixture.ResultsExchange, "health.*");
        var askId = "health-" + Guid.NewGuid().ToString("N");
        var properties = new BasicProperties { ReplyTo = replies, CorrelationId = askId, ContentType = "application/json" };

        await channel.BasicPublishAsync("", RabbitMqIngestFixture.Queue, mandatory: false, properties,
            Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "health_check", ["task_id"] = askId }.ToJsonString()));

        BasicGetResult? reply = null;
        await WaitUntilAsync(async () => (reply = await channel.BasicGetAsync(replies, autoAck: true)) is not null, "the reply");
        reply!.BasicProperties.CorrelationId.Should().Be(askId);
        IngestChecks.ShouldBeAHealthyAnswer(JsonNode.Parse(reply.Body.Span)!.AsObject(), askId);
        BasicGetResult? published = null;
        await WaitUntilAsync(async () => (published = await channel.BasicGetAsync(results, autoAck: true))?.BasicProperties.MessageId == askId, "the answer on the results exchange");
        published!.RoutingKey.Should().Be("health.healthy");
    }

    [Fact]
    public async Task SameMessageTwice_MakesOneTask()
    {
        var taskId = "amqp-twice-" + Guid.NewGuid().ToString("N");
        var message = new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" }.ToJsonString();
        await fixture.PublishAsync(message);
        await fixture.PublishAsync(message);

        await WaitUntilAsync(() => Task.FromResult(Occurrences($"Task {taskId}: accepted from RabbitMQ") == 2), "both deliveries to be read");
        (await fixture.Client.WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");

        Occurrences($"Task {taskId}: accepted for").Should().Be(1, "the second delivery replays the first task");
    }

    [Theory]
    [MemberData(nameof(IngestChecks.PoisonMessages), MemberType = typeof(IngestChecks))]
    public Task PoisonMessage_IsDeadLetteredWithReason_AndTheNextOneGoesThrough(string poison, string reasonPart) =>
        AssertDeadLetteredAsync(poison, reasonPart);

    [Fact]
    public Task OversizeMessage_IsDeadLetteredNamingTheLimit_AndTheNextOneGoesThrough() =>
        AssertDeadLetteredAsync(IngestChecks.OversizeMessage, "Ingest:MaxMessageBytes");

    private async Task AssertDeadLetteredAsync(string poison, string reasonPart)
    {
        var poisonId = Guid.NewGuid().ToString("N");
        await fixture.PublishAsync(poison, poisonId);
        var taskId = "amqp-after-poison-" + poisonId;
        await fixture.PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" }.ToJsonString());

        await WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, "the next message's task");
        (await fixture.Client.WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");

        await using var connection = await fixture.Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        BasicGetResult? dead = null;
        await WaitUntilAsync(async () =>
        {
            // Other tests' poison may sit ahead of this one: take them off, keep looking for ours.
            dead = await channel.BasicGetAsync(RabbitMqIngestFixture.DeadLetterQueue, autoAck: true);
            return dead?.BasicProperties.MessageId == poisonId;
        }, "the poison message on the dead-letter queue");
        Encoding.UTF8.GetString(dead!.Body.Span).Should().Be(poison);
        Encoding.UTF8.GetString((byte[])dead.BasicProperties.Headers!["x-reason"]!).Should().Contain(reasonPart);
    }

    [Fact]
    public Task ProcessKilledAfterRecordingBeforeAcknowledging_MessageIsProcessedOnceByTheOther() =>
        IngestChecks.KilledBeforeAcknowledging_IsProcessedOnceByTheOtherAsync(fixture.Settings, "Ingesting RabbitMQ queue",
            taskId => fixture.PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" }.ToJsonString()),
            fixture.Api, fixture.Client);

    [Fact]
    public Task Cli_PublishesAnImage_AndWaitsForItsTask() =>
        IngestChecks.CliPublishesAndWaitsAsync("amqp", fixture.Broker.Url.ToString(), fixture.BaseUrl, fixture.Api);

    [Fact]
    public async Task BrokerRestarted_IngestionResumes()
    {
        fixture.Broker.Stop();
        fixture.Broker.Start();
        var taskId = "amqp-after-restart-" + Guid.NewGuid().ToString("N");

        await fixture.PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" }.ToJsonString());

        await WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, "the task sent after the restart");
        (await fixture.Client.WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");
    }

    private int Occurrences(string text) => IngestChecks.Occurrences(fixture.Api, text);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => IngestChecks.WaitUntilAsync(condition, what);
}

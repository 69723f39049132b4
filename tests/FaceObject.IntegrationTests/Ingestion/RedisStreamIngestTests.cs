using System.Text.Json.Nodes;
using FaceObject.Testing;
using StackExchange.Redis;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>Tasks submitted as entries on a Redis stream read by the all-in-one host, on a real redis-server.</summary>
[Collection(RedisIngestGroup.Name)]
public sealed class RedisStreamIngestTests(RedisIngestFixture fixture)
{
    private static readonly TimeSpan Timeout = IngestChecks.Timeout;

    private IDatabase Db => fixture.Db;

    [Fact]
    public async Task InlineImage_CompletesUnderProducersTaskId_WithResultMessageAndCallback()
    {
        var taskId = "inline-" + Guid.NewGuid().ToString("N");
        var hook = $"/hooks/ok/{taskId}";
        await PublishAsync(new JsonObject
        {
            ["task_id"] = taskId,
            ["model"] = "object",
            ["image"] = Convert.ToBase64String(TestPaths.ImageBytes("dog.jpg")),
            ["callback_url"] = fixture.Site.BaseUrl + hook,
        });

        var task = await WaitForCallbackAsync(taskId);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        fixture.Site.RequestsTo(hook).Should().ContainSingle();
        var result = await WaitForResultAsync(taskId);
        result["status"]!.GetValue<string>().Should().Be("completed");
        result["result"]!.ToJsonString().Should().Be(task["result"]!.ToJsonString(), "the result message is the document GET /api/task/{id} answers");
    }

    [Fact]
    public async Task ImageUrl_CompletesUnderProducersTaskId()
    {
        var taskId = "url-" + Guid.NewGuid().ToString("N");
        await PublishAsync(new JsonObject
        {
            ["task_id"] = taskId,
            ["model"] = "object",
            ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg",
            ["options"] = new JsonObject { ["score_threshold"] = 0.5 },
        });

        var task = await WaitForEndAsync(taskId, Timeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain("dog");
        (await WaitForResultAsync(taskId))["task_id"]!.GetValue<string>().Should().Be(taskId);
    }

    [Fact]
    public async Task PipelineMessage_RunsThePipelineUnderProducersTaskId()
    {
        var taskId = "pipeline-" + Guid.NewGuid().ToString("N");
        await PublishAsync(new JsonObject { ["task_id"] = taskId, ["pipeline"] = "blur-and-detect", ["image"] = Convert.ToBase64String(TestPaths.ImageBytes("faces_6.jpg")) });

        var task = await WaitForEndAsync(taskId, Timeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        task["kind"]!.GetValue<string>().Should().Be("pipeline");
        task["model"]!.GetValue<string>().Should().Be("blur-and-detect");
        task["result"]!["blur_metadata"]!["blurred"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(10, "faces_6.jpg shows at least 10 faces");
        FaceObjectClient.ClassNames(task).Should().Contain("person");
        (await WaitForResultAsync(taskId))["kind"]!.GetValue<string>().Should().Be("pipeline");
    }

    [Fact]
    public async Task HealthCheckMessage_IsAnsweredOnTheResultsStream()
    {
        var askId = "health-" + Guid.NewGuid().ToString("N");
        await PublishAsync(new JsonObject { ["type"] = "health_check", ["task_id"] = askId });

        var answer = await WaitForResultAsync(askId);

        IngestChecks.ShouldBeAHealthyAnswer(answer, askId);
    }

    [Fact]
    public async Task SameMessageTwice_MakesOneTask()
    {
        var taskId = "twice-" + Guid.NewGuid().ToString("N");
        var message = new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" };
        await PublishAsync(message);
        await PublishAsync(message);

        await WaitForEndAsync(taskId, Timeout);
        await WaitUntilAsync(() => Occurrences($"Task {taskId}: accepted from stream entry") == 2, "both entries are read");

        Occurrences($"Task {taskId}: accepted for").Should().Be(1, "the second delivery replays the first task");
        (await Db.StreamPendingAsync(RedisIngestFixture.Stream, RedisIngestFixture.Group)).PendingMessageCount.Should().Be(0);
    }

    [Fact]
    public async Task EntryReadByAConsumerThatDied_IsClaimedAndProcessedOnce()
    {
        // A consumer killed after reading an entry and before acknowledging it leaves exactly this: the entry pending
        // with it. The host reads the same group, so publish until this reader, not the host, gets one.
        string? taskId = null;
        for (var attempt = 0; attempt < 20 && taskId is null; attempt++)
        {
            var candidate = "orphan-" + Guid.NewGuid().ToString("N");
            var entryId = await PublishAsync(new JsonObject { ["task_id"] = candidate, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" });
            var read = await Db.StreamReadGroupAsync(RedisIngestFixture.Stream, RedisIngestFixture.Group, "killed-consumer", StreamPosition.NewMessages, 1);
            taskId = read.Any(e => e.Id == entryId) ? candidate : null;
        }

        taskId.Should().NotBeNull("the test reader gets one of 20 fresh entries before the host polls");
        var task = await WaitForEndAsync(taskId!, Timeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        Occurrences($"Task {taskId}: accepted for").Should().Be(1);
        var pending = await Db.StreamPendingMessagesAsync(RedisIngestFixture.Stream, RedisIngestFixture.Group, 100, "killed-consumer");
        pending.Should().BeEmpty("the host claimed the entry and acknowledged it");
    }

    [Fact]
    public Task ProcessKilledAfterRecordingBeforeAcknowledging_EntryIsClaimedAndProcessedOnce() =>
        IngestChecks.KilledBeforeAcknowledging_IsProcessedOnceByTheOtherAsync(fixture.Settings, "Ingesting stream",
            taskId => PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" }),
            fixture.Api, fixture.Client);

    [Fact]
    public Task Cli_PublishesAnImage_AndWaitsForItsTask() =>
        IngestChecks.CliPublishesAndWaitsAsync("redis-stream", fixture.Redis.ConnectionString, fixture.BaseUrl, fixture.Api);

    [Theory]
    [InlineData("redis-stream")]
    [InlineData("http")]
    public async Task Cli_RunsAPipeline_AndWaitsForItsTask(string via)
    {
        var run = await CliTests.RunAsync("pipeline", "blur-and-detect", TestPaths.Image("faces_6.jpg"),
            "--via", via, "--broker", fixture.Redis.ConnectionString, "--wait", "--json", "--server", fixture.BaseUrl);

        run.ExitCode.Should().Be(0, run.ToString());
        var task = JsonNode.Parse(run.Output)!.AsObject();
        task["status"]!.GetValue<string>().Should().Be("completed");
        task["model"]!.GetValue<string>().Should().Be("blur-and-detect");
        task["result"]!["blur_metadata"]!["blurred"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(10);
        var byMessage = Occurrences($"Task {task["task_id"]!.GetValue<string>()}: accepted from stream entry");
        byMessage.Should().Be(via == "http" ? 0 : 1);
    }

    [Fact]
    public async Task RedisRestarted_IngestionResumes()
    {
        // Redis comes back empty (no persistence in the fixture): the host must make its consumer group again.
        fixture.Redis.Stop();
        fixture.Redis.Start();
        var taskId = "after-restart-" + Guid.NewGuid().ToString("N");

        await WaitUntilAsync(async () =>
        {
            try
            {
                await PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" });
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        }, "the test's connection to be back");

        (await WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");
    }

    [Fact]
    public async Task RedisNotAnswering_LongerThanTheClientTimeout_LeavesTheHostRunning_AndIngestionResumes()
    {
        // Redis suspended (connections open, nothing answers) past the client's 5 s timeout: every loop of the host
        // (stream reader, process heartbeat, dead-process sweeper) gets a RedisTimeoutException. One that let it
        // escape would end, and a failed hosted service stops the host.
        fixture.Redis.Suspend();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(7));
        }
        finally
        {
            fixture.Redis.Resume();
        }

        var taskId = "after-stall-" + Guid.NewGuid().ToString("N");
        await PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" });

        (await WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");
        fixture.Api.HasExited.Should().BeFalse(fixture.Api.Output.Length > 3000 ? fixture.Api.Output[^3000..] : fixture.Api.Output);
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
        var marker = Guid.NewGuid().ToString("N");
        var poisonId = await Db.StreamAddAsync(RedisIngestFixture.Stream, [new("message", poison), new("marker", marker)]);
        var taskId = "after-poison-" + marker;
        await PublishAsync(new JsonObject { ["task_id"] = taskId, ["model"] = "object", ["image_url"] = fixture.Site.BaseUrl + "/images/dog.jpg" });

        (await WaitForEndAsync(taskId, Timeout))["status"]!.GetValue<string>().Should().Be("completed");
        StreamEntry dead = default;
        await WaitUntilAsync(async () =>
        {
            var entries = (await Db.StreamRangeAsync(RedisIngestFixture.Dead)).Where(e => e["entry_id"] == poisonId).ToArray();
            dead = entries.FirstOrDefault();
            return entries.Length > 0;
        }, "the poison entry is dead-lettered");
        dead["message"].ToString().Should().Be(poison);
        dead["reason"].ToString().Should().Contain(reasonPart);
    }

    /// <summary>Waits for the task a message makes to exist (it is read within a poll interval), then to end.</summary>
    private async Task<JsonObject> WaitForEndAsync(string taskId, TimeSpan timeout)
    {
        await WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, $"task {taskId} to be ingested");
        return await fixture.Client.WaitForEndAsync(taskId, timeout);
    }

    private async Task<JsonObject> WaitForCallbackAsync(string taskId)
    {
        await WaitUntilAsync(async () => await fixture.Client.GetTaskAsync(taskId) is not null, $"task {taskId} to be ingested");
        return await fixture.Client.WaitForCallbackAsync(taskId, Timeout);
    }

    private Task<RedisValue> PublishAsync(JsonObject message) =>
        Db.StreamAddAsync(RedisIngestFixture.Stream, "message", message.ToJsonString());

    private async Task<JsonObject> WaitForResultAsync(string taskId)
    {
        JsonObject? found = null;
        await WaitUntilAsync(async () =>
        {
            // Not FirstOrDefault: a default StreamEntry is not IsNull.
            var entries = (await Db.StreamRangeAsync(RedisIngestFixture.Results)).Where(e => e["task_id"] == taskId).ToArray();
            found = entries.Length == 0 ? null : JsonNode.Parse(entries[0]["message"].ToString())!.AsObject();
            return found is not null;
        }, $"a result message for {taskId}");
        return found!;
    }

    private int Occurrences(string text) => IngestChecks.Occurrences(fixture.Api, text);

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => IngestChecks.WaitUntilAsync(condition, what);
}

using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>What the Redis stream and RabbitMQ ingestion tests share: waiting, reading the host's log, the CLI run.</summary>
internal static class IngestChecks
{
    /// <summary>Messages either broker must dead-letter, each with a part of the reason it must give.</summary>
    public static TheoryData<string, string> PoisonMessages => new()
    {
        { "not json at all", "not a JSON object" },
        { """{"model": "object"}""", "exactly one of 'image_key'" },
        { """{"model": "object", "task_id": "no spaces allowed", "image_url": "http://127.0.0.1/x.jpg"}""", "task_id" },
        { """{"model": "no-such-model", "image_url": "http://127.0.0.1/x.jpg"}""", "No model 'no-such-model'" },
        { """{"model": "object", "image_url": "http://169.254.169.254/latest/meta-data"}""", "image_url" },
        { """{"model": "object", "image": "bm90IGFuIGltYWdl"}""", "image" },
        { """{"model": "object", "pipeline": "blur-and-detect", "image_url": "http://127.0.0.1/x.jpg"}""", "exactly one of 'model'" },
        { """{"pipeline": "no-such-pipeline", "image_url": "http://127.0.0.1/x.jpg"}""", "No pipeline 'no-such-pipeline'" },
        { """{"type": "reboot"}""", "'type' may only be \"health_check\"" },
    };

    /// <summary>A message over the limit that Api:MaxImageBytes=2000000 gives (about 2.7 MB), and the setting its reason names.</summary>
    public static readonly string OversizeMessage = $$"""{"model": "object", "image": "{{new string('A', 2_800_000)}}"}""";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>A health_check message's answer from a host whose worker serves every model queue.</summary>
    public static void ShouldBeAHealthyAnswer(JsonObject answer, string askId)
    {
        answer["type"]!.GetValue<string>().Should().Be("health_check");
        answer["task_id"]!.GetValue<string>().Should().Be(askId);
        answer["status"]!.GetValue<string>().Should().Be("healthy", answer.ToJsonString());
        answer["checks"]!["storage"]!.GetValue<string>().Should().Be("healthy");
        var queues = answer["queues"]!.AsArray().Select(q => q!.AsObject()).ToList();
        queues.Select(q => q["name"]!.GetValue<string>()).Should().Contain(["face", "object"]);
        queues.Should().OnlyContain(q => q["servers"]!.GetValue<int>() >= 1, "the all-in-one host's worker serves every queue");
    }

    /// <summary>How many lines of <paramref name="host"/>'s log contain <paramref name="text"/> (e.g. one task's "accepted for").</summary>
    public static int Occurrences(ServiceProcess host, string text) =>
        host.Output.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// An API process that reads a message, records its task and is SIGKILLed before acknowledging it: the broker
    /// hands the message to <paramref name="survivor"/> (the fixture's host), which finds the task made and finishes
    /// it, without a second one. <paramref name="publish"/> sends an image_url message with the given task id; it is
    /// sent again with new ids until the victim, not the survivor, is the one that read it.
    /// </summary>
    public static async Task KilledBeforeAcknowledging_IsProcessedOnceByTheOtherAsync(
        IReadOnlyDictionary<string, string?> settings, string readingLine, Func<string, Task> publish, ServiceProcess survivor, FaceObjectClient client)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        using var victim = ServiceProcess.StartApi(url, new Dictionary<string, string?>(settings) { ["Ingest:FaultTestingPauseBeforeAck"] = "00:05:00" });
        await victim.WaitForOutputAsync(readingLine, TimeSpan.FromSeconds(90));
        string? held = null;
        for (var attempt = 0; attempt < 20 && held is null; attempt++)
        {
            var taskId = "killed-" + Guid.NewGuid().ToString("N");
            await publish(taskId);
            await WaitUntilAsync(async () => await client.GetTaskAsync(taskId) is not null, $"task {taskId} to be recorded");
            await WaitUntilAsync(() => Task.FromResult(Occurrences(victim, $"task {taskId} is recorded") + Occurrences(survivor, $"Task {taskId}: accepted from") > 0), $"{taskId} to be read");
            held = Occurrences(victim, $"task {taskId} is recorded") == 1 ? taskId : null;
        }

        held.Should().NotBeNull("the victim reads one of 20 messages that it shares with the fixture's host");
        victim.Kill();

        var task = await client.WaitForEndAsync(held!, Timeout);
        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        await WaitUntilAsync(() => Task.FromResult(Occurrences(survivor, $"Task {held}: accepted from") == 1), "the survivor to take the unacknowledged message over");
        Occurrences(victim, $"Task {held}: accepted for").Should().Be(1, "the victim recorded the task before it was killed");
        Occurrences(survivor, $"Task {held}: accepted for").Should().Be(0, "the redelivered message replays the task the victim recorded");
    }

    /// <summary>The real CLI publishes dog.jpg by <paramref name="via"/> and waits over HTTP; its task came by message, once.</summary>
    public static async Task CliPublishesAndWaitsAsync(string via, string broker, string server, ServiceProcess host)
    {
        var run = await CliTests.RunAsync("detect", "object", TestPaths.Image("dog.jpg"), "--via", via, "--broker", broker, "--wait", "--json", "--server", server);

        run.ExitCode.Should().Be(0, run.ToString());
        var task = JsonNode.Parse(run.Output)!.AsObject();
        task["status"]!.GetValue<string>().Should().Be("completed");
        FaceObjectClient.ClassNames(task).Should().Contain("dog");
        Occurrences(host, $"Task {task["task_id"]!.GetValue<string>()}: accepted from").Should().Be(1, "the task came by message, not by HTTP");
    }
}

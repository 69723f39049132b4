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
    };

    /// <summary>A message over the limit that Api:MaxImageBytes=2000000 gives (about 2.7 MB), and the setting its reason names.</summary>
    public static readonly string OversizeMessage = $$"""{"model": "object", "image": "{{new string('A', 2_800_000)}}"}""";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

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

using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Ingestion;

/// <summary>What the Redis stream and RabbitMQ ingestion tests share: waiting, reading the host's log, the CLI run.</summary>
internal static class IngestChecks
{
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

using System.Text.Json.Nodes;
using System.Net;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// Redis (with AOF) crashes and comes back on the same port while tasks are queued and one is in flight. The API
/// and the worker are not restarted: they must answer 503 while it is down and carry on by themselves after.
/// </summary>
public sealed class RedisRestartTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly ServiceCluster _cluster = new(appendOnly: true);

    [Fact]
    public async Task EveryAcceptedTask_Ends_WhenRedisRestartsWithTasksQueuedAndInFlight()
    {
        var api = await _cluster.StartApiAsync();
        // Each task is held 2 s once started (processing, its lease renewed), so the one in flight is still in the
        // worker's hands when Redis stops: a big image alone was detected too fast on a quick machine. It resumes
        // while Redis is down and its next command times out (5 s) before Redis is back (8 s).
        var worker = await _cluster.StartWorkerAsync("object", new Dictionary<string, string?>
        {
            ["FaultTesting:PauseAt"] = "InTask",
            ["FaultTesting:PauseFor"] = "00:00:02",
        });
        var image = GeneratedImages.Scaled("dog.jpg", 6000, 4500);
        var accepted = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            accepted.Add(await api.Client.SubmitImageExpectingAcceptedAsync("object", image));
        }

        // Plain polls only before the crash: the API's first long poll (its Redis subscription) happens while Redis is down.
        var inFlight = await FirstProcessingAsync(api.Client, accepted);
        var inFlightId = inFlight["task_id"]!.GetValue<string>();
        _cluster.Redis.Stop();
        var downSince = DateTime.UtcNow;

        var whileDown = await Task.WhenAll(
            api.Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg")),
            api.Client.Http.GetAsync(new Uri($"/api/task/{accepted[0]}", UriKind.Relative)),
            api.Client.Http.GetAsync(new Uri($"/api/task/{accepted[0]}?wait=2s", UriKind.Relative)),
            api.Client.Http.GetAsync(new Uri("/api/queues", UriKind.Relative)));
        foreach (var response in whileDown)
        {
            using (response)
            {
                response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, response.RequestMessage!.RequestUri!.ToString());
                response.Headers.RetryAfter.Should().NotBeNull();
                (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("Retry");
            }
        }

        using (var ready = await api.Client.Http.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        // Down longer than the client library's 5 s command timeout, so the job in flight cannot just wait it out.
        var downFor = DateTime.UtcNow - downSince;
        if (downFor < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(TimeSpan.FromSeconds(8) - downFor);
        }

        _cluster.Redis.Start();

        var afterRestart = await SubmitOnceRedisIsBackAsync(api.Client, TestPaths.ImageBytes("dog.jpg"));
        accepted.Add(afterRestart);
        var ends = new List<string>();
        foreach (var taskId in accepted)
        {
            JsonObject task;
            try
            {
                task = await api.Client.WaitForEndAsync(taskId, Timeout);
            }
            catch (TimeoutException e)
            {
                // Its Hangfire state, history and the processes' output tell a lost retry from a slow one.
                var jobId = (await api.Client.GetTaskAsync(taskId))?["job_id"]?.GetValue<string>() ?? "(none)";
                throw new TimeoutException($"{e.Message}\n{await _cluster.DescribeJobAsync(jobId)}", e);
            }

            var status = task["status"]!.GetValue<string>();
            status.Should().BeOneOf(["completed", "failed"], task.ToJsonString());
            if (status == "failed")
            {
                task["error"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
            }

            ends.Add(status);
        }

        ends.Should().AllBe("completed", "Redis came back within the retry window, so nothing needed to fail");

        // The job in flight lost Redis mid-way and ran again: either Hangfire recorded the transient failure and retried
        // it with back-off, or (Redis still down when Hangfire gave up changing its state) the worker put the fetched
        // job back on its queue once Redis answered.
        (await api.Client.GetTaskAsync(inFlightId))!["attempts"]!.GetValue<int>().Should().Be(2);
        worker.HasExited.Should().BeFalse("the worker reconnects by itself");
        // The same worker process serves the queue after the restart (its console log may lag the stored result).
        await worker.WaitForOutputAsync($"Task {afterRestart}: object found", TimeSpan.FromSeconds(30));
        api.Process.HasExited.Should().BeFalse();
        var queue = await api.QueueAsync("object");
        queue["servers"]!.GetValue<int>().Should().Be(1);
        queue["processing"]!.GetValue<long>().Should().Be(0);
        queue["enqueued"]!.GetValue<long>().Should().Be(0);
    }

    /// <summary>
    /// The first accepted task seen processing. The worker runs one at a time, but it may finish the early ones before
    /// the test looks, so whichever is in its hands now is the one in flight.
    /// </summary>
    private static async Task<JsonObject> FirstProcessingAsync(FaceObjectClient client, IReadOnlyList<string> accepted)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var id in accepted)
            {
                if (await client.GetTaskAsync(id) is { } task && task["status"]!.GetValue<string>() == "processing")
                {
                    return task;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No accepted task was seen processing within {Timeout}.");
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>Retries a submit until the API, never restarted, accepts again.</summary>
    private static async Task<string> SubmitOnceRedisIsBackAsync(FaceObjectClient client, byte[] image)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            using var response = await client.SubmitImageAsync("object", image);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
            }

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "until Redis is reachable again");
            DateTime.UtcNow.Should().BeBefore(deadline, "the API should recover by itself once Redis is back");
            await Task.Delay(250);
        }
    }
}

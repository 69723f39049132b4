using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Bundling end to end (<c>Hangfire:MaxTasksPerJob</c>): an API that only enqueues, a real redis-server, and a worker
/// process started once the queue is backed up, so tasks share jobs. Each task must still end exactly once, with its
/// own result: a bundled task whose image fetch fails once is retried with its job while the others are not run again,
/// and a cancelled task inside a bundle is skipped while its bundle runs.
/// </summary>
public sealed class JobBundlingTests : IAsyncLifetime, IDisposable
{
    private readonly DistributedHarness _harness = new();
    private LocalHttpServer _site = null!;

    public async Task InitializeAsync() => _site = await LocalHttpServer.StartAsync(TestSite.Map);

    [Fact]
    public async Task BackedUpQueue_BundlesTasks_AndEveryTaskEndsOnce_ARetriedFetchAndACancelInsideABundleIncluded()
    {
        _harness.Settings["Hangfire:MaxTasksPerJob"] = "4";
        _harness.Settings["Hangfire:BundleWhenQueuedOver"] = "2";
        _harness.Settings["Fetch:AllowedHosts:0"] = "127.0.0.1";
        using var client = await _harness.StartApiAsync();
        var dog = TestPaths.ImageBytes("dog.jpg");
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(i == 4
                ? await client.SubmitImageUrlExpectingAcceptedAsync("object", $"{_site.BaseUrl}/images/flaky/{Guid.NewGuid():N}.jpg")
                : await client.SubmitImageExpectingAcceptedAsync("object", dog));
        }

        // Three jobs of their own fill the queue past 2; then tasks join the newest job, four to a job.
        var jobs = new List<string>();
        foreach (var id in ids)
        {
            jobs.Add((await client.GetTaskAsync(id))!["job_id"]!.GetValue<string>());
        }

        jobs.Distinct().Should().HaveCount(4);
        jobs[2..6].Distinct().Should().ContainSingle();
        jobs[6..10].Distinct().Should().ContainSingle();
        var queues = await client.Http.GetFromJsonAsync<JsonArray>(new Uri("/api/queues", UriKind.Relative));
        queues!.Single(q => q!["name"]!.GetValue<string>() == "object")!["enqueued"]!.GetValue<long>().Should().Be(10, "depth counts tasks, not jobs");
        ((await client.GetTaskAsync(ids[9]))!["queue_position"]!.GetValue<long>()).Should().BeGreaterThan(4, "a position counts the tasks ahead, not the jobs");

        using (var cancel = await client.Http.DeleteAsync(new Uri($"/api/task/{ids[5]}", UriKind.Relative)))
        {
            cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await _harness.StartWorkerAsync("object");
        var ended = new List<JsonObject>();
        foreach (var id in ids)
        {
            ended.Add(await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90)));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var task = ended[i];
            if (i == 5)
            {
                task["status"]!.GetValue<string>().Should().Be("cancelled");
                task["attempts"]!.GetValue<int>().Should().Be(0, "a cancelled task in a bundle is skipped, not run");
                continue;
            }

            task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
            FaceObjectClient.ClassNames(task).Should().Contain("dog");
            task["attempts"]!.GetValue<int>().Should().Be(i == 4 ? 2 : 1,
                i == 4 ? "the failed fetch is retried with its job" : "a retried bundle skips the tasks that already ended");
        }
    }

    public async Task DisposeAsync() => await _site.DisposeAsync();

    public void Dispose() => _harness.Dispose();
}

using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Testing;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>
/// Input that can never succeed (a JPEG whose header is fine and whose body is garbage) fails at once with the
/// reason, without retries, and is visible as failed in <c>GET /api/queues</c> and on the Hangfire dashboard.
/// </summary>
public sealed class PermanentFailureTests(UndecodableTaskFixture fixture, ITestOutputHelper output) : IClassFixture<UndecodableTaskFixture>
{
    [Fact]
    public async Task UndecodableImage_FailsOnceWithAReason_WithoutRetry()
    {
        var task = fixture.Task;

        task["status"]!.GetValue<string>().Should().Be("failed", task.ToJsonString());
        task["attempts"]!.GetValue<int>().Should().Be(1);
        task["error"]!.GetValue<string>().Should().Contain("could not be decoded");
        task["result"].Should().BeNull();
        output.WriteLine(task["error"]!.GetValue<string>());
        var history = await fixture.Cluster.Db.ListRangeAsync($"{{hangfire}}:job:{fixture.JobId}:history");
        history.Select(entry => entry.ToString()).Should().NotContain(entry => entry.Contains("Retry attempt", StringComparison.Ordinal));
        var queue = await fixture.Api.QueueAsync("object");
        queue["failed"]!.GetValue<long>().Should().Be(1);
        queue["completed"]!.GetValue<long>().Should().Be(0);
        fixture.Worker.HasExited.Should().BeFalse();
    }

    [Fact]
    public async Task FailedJob_IsOnTheDashboard_AndOnlyAWritableDashboardRequeuesIt()
    {
        var readOnly = await fixture.Cluster.StartApiAsync(new Dictionary<string, string?> { ["Dashboard:ReadOnly"] = "true" });

        var writablePage = await fixture.Api.Client.Http.GetStringAsync(new Uri("/hangfire/jobs/failed", UriKind.Relative));
        var readOnlyPage = await readOnly.Client.Http.GetStringAsync(new Uri("/hangfire/jobs/failed", UriKind.Relative));

        writablePage.Should().Contain(fixture.JobId).And.Contain("jobs/failed/requeue");
        readOnlyPage.Should().Contain(fixture.JobId).And.NotContain("jobs/failed/requeue").And.NotContain("jobs/failed/delete");
        using (var refused = await RequeueAsync(readOnly.Client))
        {
            ((int)refused.StatusCode).Should().BeInRange(400, 499, "a read-only dashboard refuses commands");
        }

        (await IsFailedInHangfireAsync()).Should().BeTrue();

        using (var accepted = await RequeueAsync(fixture.Api.Client))
        {
            accepted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        (await IsFailedInHangfireAsync()).Should().BeFalse("the writable dashboard requeued it");

        // The job runs again, finds its task already ended and leaves the record as it was.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!fixture.Worker.Output.Contains($"Task {fixture.Task["task_id"]!.GetValue<string>()}: not run (AlreadyEnded)", StringComparison.Ordinal))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, fixture.Worker.Output);
            await Task.Delay(100);
        }

        var after = await fixture.Api.Client.GetTaskAsync(fixture.Task["task_id"]!.GetValue<string>());
        after!["status"]!.GetValue<string>().Should().Be("failed");
        after["error"]!.GetValue<string>().Should().Be(fixture.Task["error"]!.GetValue<string>());
        after["attempts"]!.GetValue<int>().Should().Be(1);
    }

    private async Task<bool> IsFailedInHangfireAsync() =>
        await fixture.Cluster.Db.SortedSetScoreAsync("{hangfire}:failed", fixture.JobId) is not null;

    private Task<HttpResponseMessage> RequeueAsync(FaceObjectClient client) =>
        client.Http.PostAsync(
            new Uri("/hangfire/jobs/failed/requeue", UriKind.Relative),
            new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", fixture.JobId)]));
}

/// <summary>Redis, the API and one object worker, and one task submitted with <see cref="HostileCorpus.NonDecodableJpeg"/> and failed.</summary>
public sealed class UndecodableTaskFixture : IAsyncLifetime
{
    internal ServiceCluster Cluster { get; } = new();

    internal ApiHost Api { get; private set; } = null!;

    internal ServiceProcess Worker { get; private set; } = null!;

    internal JsonObject Task { get; private set; } = null!;

    internal string JobId => Task["job_id"]!.GetValue<string>();

    public async Task InitializeAsync()
    {
        Api = await Cluster.StartApiAsync();
        Worker = await Cluster.StartWorkerAsync("object");
        var taskId = await Api.Client.SubmitImageExpectingAcceptedAsync("object", HostileCorpus.NonDecodableJpeg(), "garbage.jpg");
        Task = await Api.Client.WaitForEndAsync(taskId, TimeSpan.FromSeconds(60));
    }

    public Task DisposeAsync()
    {
        Cluster.Dispose();
        return System.Threading.Tasks.Task.CompletedTask;
    }
}

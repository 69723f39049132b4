using System.Net;
using FaceObject.Testing;
using StackExchange.Redis;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Cancel, delete, queue position and expiry against a real redis-server, with the API and workers as separate
/// processes. Keys are read straight from Redis: what is left behind is the point.
/// </summary>
public sealed class TaskLifecycleTests : IDisposable
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(120);
    private readonly DistributedHarness _harness = new();
    private ConnectionMultiplexer? _redis;

    [Fact]
    public async Task DeleteTask_CancelsAQueuedTaskAndDeletesItsJob_ThenDeletesTheCancelledTask()
    {
        using var client = await _harness.StartApiAsync();
        var ids = new List<string>();
        foreach (var image in new[] { "dog.jpg", "eagle.jpg", "giraffe.jpg" })
        {
            ids.Add(await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes(image), image));
        }

        // No object worker runs, so all three wait in line, the first submitted first.
        for (var i = 0; i < ids.Count; i++)
        {
            var queued = (await client.GetTaskAsync(ids[i]))!;
            queued["status"]!.GetValue<string>().Should().Be("queued");
            queued["queue_position"]!.GetValue<long>().Should().Be(i + 1);
        }

        var jobId = (await client.GetTaskAsync(ids[0]))!["job_id"]!.GetValue<string>();
        using var cancel = await client.Http.DeleteAsync(new Uri($"/api/task/{ids[0]}", UriKind.Relative));

        cancel.StatusCode.Should().Be(HttpStatusCode.OK);
        var cancelled = (await client.GetTaskAsync(ids[0]))!;
        cancelled["status"]!.GetValue<string>().Should().Be("cancelled");
        cancelled["queue_position"].Should().BeNull();
        (await client.GetTaskAsync(ids[1]))!["queue_position"]!.GetValue<long>().Should().Be(1, "the cancelled job left the queue");
        var db = await ConnectAsync();
        (await db.HashGetAsync("{hangfire}:job:" + jobId, "State")).ToString().Should().Be("Deleted");
        (await ServerKeysAsync("faceobject:payload:*" + ids[0] + "*")).Should().BeEmpty("a cancelled task's upload is deleted");
        var queues = (await client.GetJsonAsync("/api/queues"))!.AsArray();
        queues.Single(q => q!["name"]!.GetValue<string>() == "object")!["enqueued"]!.GetValue<long>().Should().Be(2);

        using var delete = await client.Http.DeleteAsync(new Uri($"/api/task/{ids[0]}", UriKind.Relative));

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetTaskAsync(ids[0])).Should().BeNull();
        (await db.KeyExistsAsync("faceobject:task:" + ids[0])).Should().BeFalse();
    }

    [Fact]
    public async Task DeleteTask_RemovesAFinishedTaskWithItsUpload()
    {
        using var client = await _harness.StartApiAsync();
        await _harness.StartWorkerAsync("object");
        var taskId = await client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg");
        (await client.WaitForEndAsync(taskId, TaskTimeout))["status"]!.GetValue<string>().Should().Be("completed");
        var db = await ConnectAsync();
        (await db.KeyExistsAsync("faceobject:task:" + taskId)).Should().BeTrue();

        using var delete = await client.Http.DeleteAsync(new Uri($"/api/task/{taskId}", UriKind.Relative));

        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetTaskAsync(taskId)).Should().BeNull();
        using var again = await client.Http.DeleteAsync(new Uri($"/api/task/{taskId}", UriKind.Relative));
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ServerKeysAsync("faceobject:*" + taskId + "*")).Should().BeEmpty("the record and the upload are gone");
    }

    [Fact]
    public async Task EveryKeyATaskMakes_CarriesTheTaskTtl_AfterImageVideoBatchAndIdempotentSubmits()
    {
        _harness.Settings["Tasks:Ttl"] = "02:00:00";
        using var client = await _harness.StartApiAsync();
        await _harness.StartWorkerAsync("object");

        using var image = await client.PostAsync("/api/detect/object/image",
            FaceObjectClient.FileContent(TestPaths.ImageBytes("dog.jpg"), "dog.jpg"), Guid.NewGuid().ToString());
        using var video = await client.SubmitVideoAsync("object", File.ReadAllBytes(TestPaths.Video("slideshow.mp4")), "s.mp4", "?sample_fps=1");
        using var batch = await client.SubmitBatchAsync("object",
            [(TestPaths.ImageBytes("eagle.jpg"), "eagle.jpg"), ("text"u8.ToArray(), "bad.jpg")], idempotencyKey: Guid.NewGuid().ToString());
        var ids = new List<string>
        {
            (await FaceObjectClient.ReadAcceptedAsync(image))["task_id"]!.GetValue<string>(),
            (await FaceObjectClient.ReadAcceptedAsync(video))["task_id"]!.GetValue<string>(),
            (await FaceObjectClient.ReadAcceptedAsync(batch))["tasks"]![0]!["task_id"]!.GetValue<string>(),
        };
        foreach (var id in ids)
        {
            (await client.WaitForEndAsync(id, TaskTimeout))["status"]!.GetValue<string>().Should().Be("completed");
        }

        var keys = await ServerKeysAsync("faceobject:*");

        // Per task, batch and idempotency key: one key each, living as long as the task. Uploads ("payload") are
        // deleted as soon as their task ends, so after completion they may be gone; any left must carry the TTL too.
        string[] perTaskFamilies = ["task", "payload", "batch", "idempotency"];
        var perTask = keys.Where(k => perTaskFamilies.Contains(k.ToString().Split(':')[1])).ToList();
        perTask.Select(k => k.ToString().Split(':')[1]).Distinct().Should().Contain(["task", "batch", "idempotency"]);
        var db = await ConnectAsync();
        foreach (var key in perTask)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            ttl.Should().NotBeNull($"{key} must expire");
            ttl!.Value.Should().BeGreaterThan(TimeSpan.FromMinutes(110)).And.BeLessThanOrEqualTo(TimeSpan.FromHours(2), key.ToString());
        }

        // The rest is bounded by other means: per-minute counters and the workers' model reports expire by
        // themselves, and the totals hash has one field per queue and end status.
        foreach (var key in keys.Except(perTask))
        {
            if (key == "faceobject:stats:ended")
            {
                (await db.HashLengthAsync(key)).Should().BeLessThanOrEqualTo(3 * 3, "one field per queue and end status");
            }
            else
            {
                (await db.KeyTimeToLiveAsync(key)).Should().NotBeNull($"{key} must expire");
            }
        }
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _harness.Dispose();
    }

    private async Task<IDatabase> ConnectAsync()
    {
        _redis ??= await ConnectionMultiplexer.ConnectAsync(_harness.Redis.ConnectionString);
        return _redis.GetDatabase();
    }

    private async Task<List<RedisKey>> ServerKeysAsync(string pattern)
    {
        await ConnectAsync();
        return _redis!.GetServer(_harness.Redis.ConnectionString).Keys(pattern: pattern).ToList();
    }
}

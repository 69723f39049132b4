using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Webhooks from the all-in-one host to a real receiver on 127.0.0.1 (allowed), signed with Callbacks:Secret and
/// retried after 1 s twice (Callbacks:RetryDelays=1,1: three attempts in all).
/// </summary>
[Collection(InputsApiGroup.Name)]
public sealed class CallbackTests(InputsApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task Callback_PostsTheSignedTaskJsonOnce_WhenTaskCompletes()
    {
        var hook = $"/hooks/ok/{Guid.NewGuid():N}";
        var taskId = await SubmitDogAsync(hook);

        var task = await Client.WaitForCallbackAsync(taskId, Timeout);

        task["callback"]!["status"]!.GetValue<string>().Should().Be("delivered", task.ToJsonString());
        task["callback"]!["attempts"]!.GetValue<int>().Should().Be(1);
        task["callback"]!["url"]!.GetValue<string>().Should().Be(fixture.Site.BaseUrl + hook);
        var post = fixture.Site.RequestsTo(hook).Should().ContainSingle().Subject;
        post.Method.Should().Be("POST");
        post.Header("Content-Type").Should().StartWith("application/json");
        post.Header("X-FaceObject-Task-Id").Should().Be(taskId);
        post.Header("X-FaceObject-Event").Should().Be("task.completed");
        long.Parse(post.Header("X-FaceObject-Timestamp")!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 600);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(InputsApiFixture.CallbackSecret), post.Body));
        post.Header("X-FaceObject-Signature").Should().Be(expected);

        var body = JsonNode.Parse(post.Body)!.AsObject();
        body["task_id"]!.GetValue<string>().Should().Be(taskId);
        body["status"]!.GetValue<string>().Should().Be("completed");
        FaceObjectClient.ClassNames(body).Should().Contain(["dog", "bicycle", "car"]);
        body["result"]!.ToJsonString().Should().Be(task["result"]!.ToJsonString(), "the callback carries the same document as GET /api/task/{id}");
    }

    [Fact]
    public async Task Callback_IsDeliveredOnTheThirdAttempt_WhenReceiverAnswers500Twice()
    {
        var hook = $"/hooks/flaky/{Guid.NewGuid():N}";
        var taskId = await SubmitDogAsync(hook);

        var task = await Client.WaitForCallbackAsync(taskId, Timeout);

        task["callback"]!["status"]!.GetValue<string>().Should().Be("delivered", task.ToJsonString());
        task["callback"]!["attempts"]!.GetValue<int>().Should().Be(3);
        task["callback"]!["delivered_at"].Should().NotBeNull();
        fixture.Site.RequestsTo(hook).Should().HaveCount(3);
        fixture.Site.RequestsTo(hook).Select(r => r.Header("X-FaceObject-Attempt")).Should().Equal("1", "2", "3");
    }

    [Fact]
    public async Task Callback_EndsFailedAndTaskStaysCompleted_WhenReceiverAlwaysFails()
    {
        var hook = $"/hooks/fail/{Guid.NewGuid():N}";
        var taskId = await SubmitDogAsync(hook);

        var task = await Client.WaitForCallbackAsync(taskId, Timeout);

        task["status"]!.GetValue<string>().Should().Be("completed");
        var callback = task["callback"]!;
        callback["status"]!.GetValue<string>().Should().Be("failed", task.ToJsonString());
        callback["attempts"]!.GetValue<int>().Should().Be(3);
        callback["last_error"]!.GetValue<string>().Should().Contain("500");
        fixture.Site.RequestsTo(hook).Should().HaveCount(3);
    }

    [Fact]
    public async Task Callback_ReportsTheFailure_WhenTaskFails()
    {
        var hook = $"/hooks/ok/{Guid.NewGuid():N}";
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", fixture.Site.BaseUrl + "/images/missing.jpg",
            new JsonObject { ["callback_url"] = fixture.Site.BaseUrl + hook });

        var task = await Client.WaitForCallbackAsync(taskId, Timeout);

        task["callback"]!["status"]!.GetValue<string>().Should().Be("delivered", task.ToJsonString());
        var post = fixture.Site.RequestsTo(hook).Should().ContainSingle().Subject;
        post.Header("X-FaceObject-Event").Should().Be("task.failed");
        var body = JsonNode.Parse(post.Body)!;
        body["status"]!.GetValue<string>().Should().Be("failed");
        body["error"]!.GetValue<string>().Should().Contain("404");
    }

    private Task<string> SubmitDogAsync(string hook) =>
        Client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg",
            "?callback_url=" + Uri.EscapeDataString(fixture.Site.BaseUrl + hook));
}

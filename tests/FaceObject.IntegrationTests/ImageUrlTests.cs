using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// Images submitted by URL, fetched by the worker from a real local server that the API is allowed to reach
/// (Fetch:AllowedHosts=127.0.0.1, Fetch:Timeout=10s, Worker:RetryAttempts=1).
/// </summary>
[Collection(InputsApiGroup.Name)]
public sealed class ImageUrlTests(InputsApiFixture fixture)
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(90);

    private FaceObjectClient Client => fixture.Client;

    private string Url(string path) => fixture.Site.BaseUrl + path;

    [Fact]
    public async Task ImageUrl_CompletesWithDogBicycleAndCar_WhenUrlServesDogJpg()
    {
        var url = Url("/images/dog.jpg");
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", url, new JsonObject { ["score_threshold"] = 0.3 });

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        task["source_url"]!.GetValue<string>().Should().Be(url);
        task["result"]!["image"]!["width"]!.GetValue<int>().Should().Be(768);
    }

    [Fact]
    public async Task ImageUrl_Completes_WhenUrlRedirectsToTheImage()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url("/images/moved.jpg"));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        FaceObjectClient.ClassNames(task).Should().Contain("dog");
    }

    [Fact]
    public async Task ImageUrl_FailsAtOnceWithoutRetry_WhenUrlAnswers404()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url("/images/missing.jpg"));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("404");
        task["attempts"]!.GetValue<int>().Should().Be(1, "a 404 is permanent");
    }

    [Fact]
    public async Task ImageUrl_FailsSayingItIsNotAnImage_WhenTextIsServedAsJpeg()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url("/images/notes.jpg"));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("not a JPEG, PNG, WebP or BMP image").And.Contain("image/jpeg");
        task["attempts"]!.GetValue<int>().Should().Be(1, "content that is not an image never becomes one");
    }

    [Fact]
    public async Task ImageUrl_FailsAfterItsRetry_WhenServerIsSlowerThanTheTimeout()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url("/images/slow.jpg"));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("timed out").And.Contain("Fetch:Timeout");
        task["attempts"]!.GetValue<int>().Should().Be(2, "a timeout may pass, so it is retried (Worker:RetryAttempts=1)");
    }

    [Theory]
    [InlineData("/images/huge.jpg")]
    [InlineData("/images/huge-declared.jpg")]
    public async Task ImageUrl_FailsNamingTheLimit_WhenBodyIsLargerThanMaxImageBytes(string path)
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url(path));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("2,000,000").And.Contain("Api:MaxImageBytes");
    }

    [Fact]
    public async Task ImageUrl_IsRefused_WhenAnAllowedHostRedirectsToAnAddressNotAllowed()
    {
        var taskId = await Client.SubmitImageUrlExpectingAcceptedAsync("object", Url("/images/moved-away.jpg"));

        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        task["status"]!.GetValue<string>().Should().Be("failed");
        task["error"]!.GetValue<string>().Should().Contain("127.0.0.2").And.Contain("loopback").And.Contain("refused");
        task["attempts"]!.GetValue<int>().Should().Be(1);
    }

    [Theory]
    [InlineData("""{"image_url": "ftp://example.com/dog.jpg"}""", "absolute http or https URL")]
    [InlineData("""{"image_url": "dog.jpg"}""", "absolute http or https URL")]
    [InlineData("""{"url": "https://example.com/dog.jpg"}""", "no 'image_url'")]
    [InlineData("""{"image_url": "https://example.com/dog.jpg", "score_threshold": 3}""", "score_threshold")]
    [InlineData("""{"image_url": "https://example.com/dog.jpg", "callback_url": "mailto:me@example.com"}""", "callback_url")]
    [InlineData("""{"image_url": ["https://example.com/dog.jpg", 1]}""", "image_url")]
    [InlineData("""["https://example.com/dog.jpg"]""", "must be an object")]
    [InlineData("""{"image_url": """, "not valid JSON")]
    public async Task SubmitImageUrl_Answers400Problem_WhenBodyIsWrong(string body, string expected)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.Http.PostAsync(new Uri("/api/detect/object/image", UriKind.Relative), content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain(expected);
    }

    [Fact]
    public async Task Queues_ListCallbacksWithWorkers_WhenApiRunsWorkers()
    {
        var queues = await Client.Http.GetFromJsonAsync<JsonArray>(new Uri("/api/queues", UriKind.Relative));

        var callbacks = queues!.Single(q => q!["name"]!.GetValue<string>() == "callbacks")!;
        callbacks["workers"]!.GetValue<int>().Should().BeGreaterThan(0);
    }
}

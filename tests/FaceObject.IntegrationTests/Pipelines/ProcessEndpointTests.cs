using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Pipelines;

/// <summary>
/// Seed 002's <c>POST /process</c> on the all-in-one host, with images fetched from a real local server
/// (<see cref="InputsApiFixture"/>): one synchronous answer for every image, in the seed's shape.
/// </summary>
[Collection(InputsApiGroup.Name)]
public sealed class ProcessEndpointTests(InputsApiFixture fixture)
{
    private FaceObjectClient Client => fixture.Client;

    private JsonObject Request(params (string Id, string Path)[] images) => new()
    {
        ["pipeline"] = "blur-and-detect",
        ["source_images"] = new JsonArray([.. images.Select(i => (JsonNode)new JsonObject { ["id"] = i.Id, ["url"] = fixture.Site.BaseUrl + i.Path })]),
        ["config"] = new JsonObject(),
    };

    [Fact]
    public async Task Process_AnswersOnceForEveryImage_InTheSeedsShape()
    {
        using var response = await Client.Http.PostAsJsonAsync("/process?wait=60s", Request(("front", "/images/dog.jpg"), ("side", "/images/moved.jpg"), ("notes", "/images/notes.jpg")));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        response.StatusCode.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        body["pipeline"]!.GetValue<string>().Should().Be("blur-and-detect");
        body["total_time"]!.GetValue<double>().Should().BePositive();
        var images = body["source_images"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!);
        images.Keys.Should().Equal("front", "side", "notes");
        images["front"]["status"]!.GetValue<string>().Should().Be("completed");
        images["front"]["image"]!["width"]!.GetValue<int>().Should().Be(768);
        images["notes"]["status"]!.GetValue<string>().Should().Be("failed");
        images["notes"]["error"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var detections = body["detections"]!.AsArray();
        detections.Where(d => d!["source_image_id"]!.GetValue<string>() == "front").Select(d => d!["class_name"]!.GetValue<string>())
            .Should().Contain(["dog", "bicycle", "car"]);
        detections.Should().Contain(d => d!["source_image_id"]!.GetValue<string>() == "side");
        body["algorithms"]!["detect"]!["model"]!.GetValue<string>().Should().Be("object");
        body["algorithms"]!["blur"]!["results"]!["front"]!["blurred"]!.GetValue<int>().Should().Be(0);
    }

    [Fact]
    public async Task Process_Answers202WithEachImagesTask_WhenTheWaitRunsOut()
    {
        using var response = await Client.Http.PostAsJsonAsync("/process?wait=1ms", Request(("slow", "/images/slow.jpg")));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, body.ToJsonString());
        var task = body["tasks"]![0]!;
        task["id"]!.GetValue<string>().Should().Be("slow");
        (await Client.GetTaskAsync(task["task_id"]!.GetValue<string>()))!["kind"]!.GetValue<string>().Should().Be("pipeline");
    }

    [Theory]
    [InlineData("""{"pipeline": "nope", "source_images": [{"id": "a", "url": "http://127.0.0.1/a.jpg"}]}""", HttpStatusCode.NotFound, "No pipeline 'nope'")]
    [InlineData("""{"pipeline": "blur-and-detect", "source_images": []}""", HttpStatusCode.BadRequest, "'source_images' must list 1 to 16 images")]
    [InlineData("""{"pipeline": "blur-and-detect", "source_images": [{"id": "a"}]}""", HttpStatusCode.BadRequest, "source_images[0] must be")]
    [InlineData("""{"pipeline": "blur-and-detect", "source_images": [{"id": "a", "url": "ftp://example.com/a.jpg"}]}""", HttpStatusCode.BadRequest, "source_images[0].url")]
    [InlineData("""{"pipeline": "blur-and-detect", "source_images": [{"id": "a", "url": "http://127.0.0.1/a.jpg"}, {"id": "a", "url": "http://127.0.0.1/b.jpg"}]}""", HttpStatusCode.BadRequest, "used twice")]
    [InlineData("""{"pipeline": "blur-and-detect", "source_images": [{"id": "a", "url": "http://127.0.0.1/a.jpg"}], "config": {"threshold": 0.2}}""", HttpStatusCode.BadRequest, "'config' must be empty")]
    [InlineData("""{"pipeline": """, HttpStatusCode.BadRequest, "not valid JSON")]
    public async Task Process_NamesWhatIsWrong_WithABadRequest(string json, HttpStatusCode expected, string detail)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.Http.PostAsync(new Uri("/process", UriKind.Relative), content);

        response.StatusCode.Should().Be(expected);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain(detail);
    }
}

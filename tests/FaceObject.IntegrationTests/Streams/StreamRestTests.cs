using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using FaceObject.Testing;
using FaceObject.Testing.Cameras;
using OpenCvSharp;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>Streams over REST and Server-Sent Events, and a camera that dies and comes back: real RTSP, the real object model.</summary>
[Collection(LiveStreamGroup.Name)]
public sealed class StreamRestTests(LiveStreamFixture fixture, ITestOutputHelper output)
{
    private HttpClient Http => fixture.Client.Http;

    [Fact]
    public async Task CreatedStream_IsLive_ServesItsFrameAndEvents_AndDeletingItStopsItsReader()
    {
        var camera = fixture.Camera.Url("cam");
        using var created = await Http.PostAsJsonAsync("/api/streams", new { url = camera, model = "object", fps = 5 });
        var stream = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)stream["id"]!;

        created.StatusCode.Should().Be(HttpStatusCode.Created, stream.ToJsonString());
        ((string?)stream["status"]!["state"]).Should().Be("live");
        ((int?)stream["status"]!["frame_width"]).Should().Be(FaceObject.Testing.Scenes.Scene.Width);
        using (var again = await Http.PostAsJsonAsync("/api/streams", new { url = camera, model = "object", fps = 5 }))
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK, "the same camera with the same settings is the same stream");
            ((string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]).Should().Be(id);
        }

        using (var other = await Http.PostAsJsonAsync("/api/streams", new { url = camera, model = "object", fps = 2 }))
        {
            other.StatusCode.Should().Be(HttpStatusCode.Conflict);
            ((string?)(await FaceObjectClient.ReadProblemAsync(other))["detail"]).Should().Contain(id).And.Contain("one reader per camera");
        }

        using var frame = Cv2.ImDecode(await Http.GetByteArrayAsync($"/api/streams/{id}/frame?annotate=true"), ImreadModes.Color);
        using var alias = await Http.GetAsync($"/camera/{id}/image");
        var events = await ReadEventsAsync($"/api/streams/{id}/events", TimeSpan.FromSeconds(5));
        var status = await StreamStatusAsync(id);

        frame.Width.Should().Be(640);
        frame.Height.Should().Be(360);
        alias.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        events.Should().Contain(e => e.Name == "detection" && e.Data["detections"] != null);
        ((string?)status["owner"]).Should().NotBeNullOrEmpty();
        ((double)status["processed_fps"]!).Should().BeGreaterThan(2, "5 fps asked, and the model keeps up with one stream");

        (await Http.DeleteAsync($"/api/streams/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Http.GetAsync($"/api/streams/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await StreamProcesses.EventuallyAsync(() => Task.FromResult(StreamProcesses.ReadersOf(camera) == 0), TimeSpan.FromSeconds(5)))
            .Should().BeTrue("deleting a stream kills its ffmpeg reader");
    }

    [Theory]
    [InlineData("not a url", "object", 400, "rtsp://")]
    [InlineData("ftp://127.0.0.1/cam", "object", 400, "rtsp://")]
    [InlineData("rtsp://127.0.0.1:1/cam", "no-such-model", 400, "Unknown model")]
    [InlineData("rtsp://169.254.169.254/cam", "object", 400, "cloud metadata")]
    [InlineData("rtsp://[::1]:554/cam", "object", 422, "Streams:AllowedSources")]
    [InlineData("{rtsp}/no-such-mount", "object", 422, "cannot be streamed")]
    [InlineData("{site}/", "object", 422, "cannot be streamed")]
    public async Task BadStream_GetsAProblemSayingWhy_AndLeavesNothingRunning(string url, string model, int status, string detail)
    {
        url = url.Replace("{rtsp}", $"rtsp://127.0.0.1:{fixture.Camera.Port}", StringComparison.Ordinal).Replace("{site}", fixture.BaseUrl, StringComparison.Ordinal);

        using var response = await Http.PostAsJsonAsync("/api/streams", new { url, model });
        var problem = await FaceObjectClient.ReadProblemAsync(response);

        ((int)response.StatusCode).Should().Be(status, problem.ToJsonString());
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        ((string?)problem["detail"]).Should().Contain(detail);
        (await StreamProcesses.EventuallyAsync(async () => (await Streams()).Count == 0 && StreamProcesses.ReadersOf(url) == 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("a refused stream leaves neither a stream nor a reader");
    }

    [Fact]
    public async Task CallbackUrl_GetsEachObjectsNewAndEndEvents_WithTheStreamIdAndEventHeaders()
    {
        await using var receiver = await LocalHttpServer.StartAsync((app, _) => app.MapPost("/hooks/stream", () => Results.Ok()));
        using var camera = new RtspTestServer(new Dictionary<string, string> { ["hook"] = fixture.Scene.FramePattern }, fixture.Scene.Fps);
        using var created = await Http.PostAsJsonAsync("/api/streams",
            new { url = camera.Url("hook"), model = "object", fps = 5, callback_url = receiver.BaseUrl + "/hooks/stream" });
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        try
        {
            // The two people walking from the clip's start become stable tracks within a second.
            (await StreamProcesses.EventuallyAsync(() => Task.FromResult(receiver.RequestsTo("/hooks/stream").Count > 0), TimeSpan.FromSeconds(20)))
                .Should().BeTrue("the first stable object is POSTed to the callback URL");
            camera.Kill();
            (await StreamProcesses.EventuallyAsync(
                () => Task.FromResult(Hooks(receiver, "stream.track.end").Count > 0 && Hooks(receiver, "stream.track.end").Count >= Hooks(receiver, "stream.track.new").Count),
                TimeSpan.FromSeconds(20))).Should().BeTrue("each object's end follows once the camera is silent");

            var first = receiver.RequestsTo("/hooks/stream")[0];
            var body = JsonNode.Parse(first.Body)!.AsObject();
            first.Header("X-FaceObject-Event").Should().Be("stream.track.new");
            first.Header("X-FaceObject-Stream-Id").Should().Be(id);
            ((string?)body["stream_id"]).Should().Be(id);
            ((string?)body["kind"]).Should().Be("new");
            ((int)body["track_id"]!).Should().BePositive();
            Hooks(receiver, "stream.track.end").Select(b => (int)b["track_id"]!)
                .Should().BeEquivalentTo(Hooks(receiver, "stream.track.new").Select(b => (int)b["track_id"]!));
            receiver.Requests.Should().NotContain(r => r.Header("X-FaceObject-Event") == "stream.track.update", "updates are not sent to callbacks");
        }
        finally
        {
            await Http.DeleteAsync($"/api/streams/{id}");
        }
    }

    [Fact]
    public async Task CallbackUrlToAMetadataAddress_Gets400()
    {
        using var response = await Http.PostAsJsonAsync("/api/streams",
            new { url = fixture.Camera.Url("cam"), model = "object", callback_url = "http://169.254.169.254/hook" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ((string?)(await FaceObjectClient.ReadProblemAsync(response))["detail"]).Should().Contain("callback_url").And.Contain("169.254.169.254");
        (await Streams()).Should().BeEmpty();
    }

    [Fact]
    public async Task CropOutsideTheFrame_Gets422_WithTheFrameSize()
    {
        using var response = await Http.PostAsJsonAsync("/api/streams",
            new { url = fixture.Camera.Url("cam"), model = "object", crop_x1 = 600, crop_y1 = 0, crop_x2 = 900, crop_y2 = 300 });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        ((string?)(await FaceObjectClient.ReadProblemAsync(response))["detail"]).Should().Contain("outside the 640x360 frame");
        (await StreamProcesses.EventuallyAsync(async () => (await Streams()).Count == 0, TimeSpan.FromSeconds(5))).Should().BeTrue();
    }

    [Fact]
    public async Task CameraThatDies_IsReportedWithin6Seconds_EndsItsTracks_AndStreamsAgainWithin3SecondsOfComingBack()
    {
        using var camera = new RtspTestServer(new Dictionary<string, string> { ["door"] = fixture.Scene.FramePattern }, fixture.Scene.Fps);
        using var created = await Http.PostAsJsonAsync("/api/streams", new { url = camera.Url("door"), model = "object", fps = 5 });
        var id = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        using var following = new CancellationTokenSource();
        var events = new List<(string Name, JsonObject Data)>();
        var feed = ReadEventsAsync($"/api/streams/{id}/events", events, following.Token);
        try
        {
            // The two people walking from the clip's start are stable tracks by now.
            await Task.Delay(TimeSpan.FromSeconds(2));
            camera.Kill();
            (await StreamProcesses.EventuallyAsync(async () => (string?)(await StreamStatusAsync(id))["state"] is "stalled" or "reconnecting", TimeSpan.FromSeconds(6)))
                .Should().BeTrue("a camera that stops sending is stalled within 6 s");
            (await StreamProcesses.EventuallyAsync(() => Task.FromResult(TrackIds(events, "new").Count > 0 && TrackIds(events, "end").IsSupersetOf(TrackIds(events, "new"))), TimeSpan.FromSeconds(4)))
                .Should().BeTrue("objects of a silent camera end after the lost-track buffer, not when it comes back: {0}", string.Join("; ", Snapshot(events).Select(e => e.Data.ToJsonString())));

            camera.Restart();
            var backAt = DateTimeOffset.UtcNow;
            (await StreamProcesses.EventuallyAsync(
                () => Task.FromResult(Snapshot(events).Exists(e => e.Name == "detection" && (DateTimeOffset)e.Data["captured_at"]! > backAt)),
                TimeSpan.FromSeconds(3))).Should().BeTrue("frames come again within 3 s of the camera coming back");
            output.WriteLine($"frames again {(Snapshot(events).First(e => e.Name == "detection" && (DateTimeOffset)e.Data["captured_at"]! > backAt).Data["detected_at"]!.GetValue<DateTimeOffset>() - backAt).TotalSeconds:F1} s after the camera came back");
            (await StreamProcesses.EventuallyAsync(async () => (string?)(await StreamStatusAsync(id))["state"] == "live", TimeSpan.FromSeconds(2))).Should().BeTrue();
            ((long)(await StreamStatusAsync(id))["reconnects"]!).Should().BeGreaterThan(0);
        }
        finally
        {
            await following.CancelAsync();
            await feed;
            await Http.DeleteAsync($"/api/streams/{id}");
        }
    }

    private static List<JsonObject> Hooks(LocalHttpServer receiver, string eventName) =>
        [.. receiver.RequestsTo("/hooks/stream").Where(r => r.Header("X-FaceObject-Event") == eventName).Select(r => JsonNode.Parse(r.Body)!.AsObject())];

    private static List<(string Name, JsonObject Data)> Snapshot(List<(string Name, JsonObject Data)> events)
    {
        lock (events)
        {
            return [.. events];
        }
    }

    private static HashSet<int> TrackIds(List<(string Name, JsonObject Data)> events, string kind) =>
        [.. Snapshot(events).Where(e => e.Name == "track" && (string?)e.Data["kind"] == kind).Select(e => (int)e.Data["track_id"]!)];

    private async Task<JsonObject> StreamStatusAsync(string id) => (await Http.GetFromJsonAsync<JsonObject>($"/api/streams/{id}"))!["status"]!.AsObject();

    private async Task<JsonArray> Streams() => (await Http.GetFromJsonAsync<JsonArray>("/api/streams"))!;

    /// <summary>Reads Server-Sent Events for <paramref name="duration"/>.</summary>
    private async Task<List<(string Name, JsonObject Data)>> ReadEventsAsync(string path, TimeSpan duration)
    {
        var events = new List<(string, JsonObject)>();
        using var stop = new CancellationTokenSource(duration);
        await ReadEventsAsync(path, events, stop.Token);
        return events;
    }

    /// <summary>Adds Server-Sent Events to <paramref name="events"/> (under its lock) until <paramref name="stop"/>.</summary>
    private async Task ReadEventsAsync(string path, List<(string Name, JsonObject Data)> events, CancellationToken stop)
    {
        try
        {
            using var response = await Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
            string? name = null;
            while (await reader.ReadLineAsync(stop) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
                {
                    lock (events)
                    {
                        events.Add((name, JsonNode.Parse(line["data: ".Length..])!.AsObject()));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Time is up.
        }
    }
}

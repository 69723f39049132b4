using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.Testing.Cameras;
using FaceObject.Testing.Scenes;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>The WebSocket protocol end to end: a real RTSP camera, the real object model, the all-in-one host.</summary>
[Collection(LiveStreamGroup.Name)]
public sealed class StreamSocketTests(LiveStreamFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string CameraUrl => fixture.Camera.Url("cam");

    [Fact]
    public async Task Subscribe_AcksThenSendsTrackedPeople_AndTwoClientsShareOneReaderUntilBothLeave()
    {
        await using var first = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);
        await using var second = await StreamSocketClient.ConnectAsync(fixture.RootSocketUrl);

        await first.SendAsync("subscribe", new { subscriptionIdentifier = "display-1;cam-7", rtspUrl = CameraUrl, modelId = "object", fps = 5 });
        var ack = await first.WaitForAsync("subscribeAck", Patience);
        var person = await first.WaitForAsync("imageDetection", Patience,
            p => p["detections"]!.AsArray().Any(d => (string?)d!["class_name"] == "person" && (int)d["track_id"]! > 0));
        await second.SendAsync("subscribe", new { subscriptionIdentifier = "display-2;cam-7", rtspUrl = CameraUrl, modelId = "object", fps = 5 });
        var secondAck = await second.WaitForAsync("subscribeAck", Patience);
        await second.WaitForAsync("imageDetection", Patience);

        ((string?)ack["status"]).Should().Be("success");
        ((string?)ack["subscriptionId"]).Should().Be("display-1;cam-7");
        ((string?)person["modelInfo"]!["id"]).Should().Be("object");
        ((string?)secondAck["streamId"]).Should().Be((string?)ack["streamId"]);
        (await Streams()).Should().ContainSingle();
        StreamProcesses.ReadersOf(CameraUrl).Should().Be(1);

        await first.SendAsync("unsubscribe", new { subscriptionIdentifier = "display-1;cam-7" });
        await first.WaitForAsync("unsubscribeAck", Patience);
        (await Streams()).Should().ContainSingle("the second client still follows the camera");
        await second.SendAsync("unsubscribe", new { subscriptionIdentifier = "display-2;cam-7" });
        await second.WaitForAsync("unsubscribeAck", Patience);

        (await StreamProcesses.EventuallyAsync(async () => (await Streams()).Count == 0 && StreamProcesses.ReadersOf(CameraUrl) == 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the stream ends with its last subscriber, and its ffmpeg reader with it");
    }

    [Fact]
    public async Task BadMessages_GetAnErrorEach_AndTheConnectionKeepsWorking()
    {
        await using var client = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);

        await client.SendTextAsync("this is not json");
        var notJson = await client.WaitForAsync("error", Patience);
        await client.SendAsync("dance", new { });
        var unknownType = await client.WaitForAsync("error", Patience);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "d;c", rtspUrl = "ftp://127.0.0.1/x", modelId = "object" });
        var badScheme = await client.WaitForAsync("error", Patience);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "d;c", rtspUrl = CameraUrl, modelId = "no-such-model" });
        var unknownModel = await client.WaitForAsync("error", Patience);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "d;c", rtspUrl = CameraUrl, modelId = "object", cropX1 = 600, cropY1 = 0, cropX2 = 900, cropY2 = 300 });
        var badCrop = await client.WaitForAsync("error", Patience);
        await client.SendAsync("requestState", new { });
        var state = await client.WaitForAsync("stateReport", Patience);

        ((string?)notJson["message"]).Should().Contain("not valid JSON");
        ((string?)unknownType["message"]).Should().Contain("Unknown message type 'dance'").And.Contain("subscribe");
        ((string?)badScheme["message"]).Should().Contain("ftp").And.Contain("rtsp://");
        ((string?)badScheme["subscriptionIdentifier"]).Should().Be("d;c");
        ((string?)unknownModel["message"]).Should().Contain("Unknown model 'no-such-model'").And.Contain("object");
        ((string?)badCrop["message"]).Should().Contain("outside the 640x360 frame");
        state["subscriptions"]!.AsArray().Should().BeEmpty();
        client.IsOpen.Should().BeTrue();
        (await StreamProcesses.EventuallyAsync(async () => (await Streams()).Count == 0, TimeSpan.FromSeconds(5))).Should().BeTrue("nothing is left of refused subscriptions");
    }

    [Fact]
    public async Task DeletedStream_EndsItsSubscription_SoTheSameIdentifierCanSubscribeAgain()
    {
        await using var client = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-4;cam", rtspUrl = CameraUrl, modelId = "object", fps = 5 });
        var streamId = (string)(await client.WaitForAsync("subscribeAck", Patience))["streamId"]!;

        (await fixture.Client.Http.DeleteAsync($"/api/streams/{streamId}")).StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);
        var notice = await client.WaitForAsync("error", Patience);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-4;cam", rtspUrl = CameraUrl, modelId = "object", fps = 5 });
        var again = await client.WaitForAsync("subscribeAck", Patience);
        await client.WaitForAsync("imageDetection", Patience, p => (string?)p["streamId"] == (string?)again["streamId"]);

        ((string?)notice["message"]).Should().Contain("deleted");
        ((string?)notice["subscriptionIdentifier"]).Should().Be("display-4;cam");
        ((string?)again["streamId"]).Should().NotBe(streamId, "a new stream reads the camera");
        await client.SendAsync("unsubscribe", new { subscriptionIdentifier = "display-4;cam" });
        await client.WaitForAsync("unsubscribeAck", Patience);
    }

    [Fact]
    public async Task SetSessionId_IsCarriedOnTheDisplaysLaterDetections_AndStateReportListsTheSubscription()
    {
        await using var client = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-3;cam-1", rtspUrl = CameraUrl, modelId = "object", fps = 5 });
        await client.WaitForAsync("subscribeAck", Patience);

        await client.SendAsync("setSessionId", new { displayIdentifier = "display-3", sessionId = "session-42" });
        var detection = await client.WaitForAsync("imageDetection", Patience, p => (string?)p["sessionId"] == "session-42");
        await client.SendAsync("patchSession", new { sessionId = "session-42", data = new { plate = "AB-123" } });

        // The figures are stored once a second: ask until they include the frames this subscription has seen.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        await client.SendAsync("requestState", new { });
        var state = await client.WaitForAsync("stateReport", Patience);
        while (DateTime.UtcNow < deadline && (double)state["subscriptions"]![0]!["processedFps"]! == 0)
        {
            await Task.Delay(250);
            await client.SendAsync("requestState", new { });
            state = await client.WaitForAsync("stateReport", Patience);
        }

        ((string?)detection["subscriptionId"]).Should().Be("display-3;cam-1");
        var followed = state["subscriptions"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        ((string?)followed["sessionId"]).Should().Be("session-42");
        ((string?)followed["state"]).Should().Be("live");
        ((double)followed["processedFps"]!).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Scene_GivesOneNewAndOneEndEventPerTrueObject_AndNoneForTheOneFrameCar()
    {
        // The server starts the clip when its first client connects, so this subscriber sees one pass from the start.
        var fresh = new RtspTestServer(new Dictionary<string, string> { ["scene"] = fixture.Scene.FramePattern }, fixture.Scene.Fps);
        using (fresh)
        {
            await using var client = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);
            await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-9;scene", rtspUrl = fresh.Url("scene"), modelId = "object", fps = 5 });
            await client.WaitForAsync("subscribeAck", Patience);
            var started = DateTimeOffset.UtcNow;

            // The clip loops: count the objects first seen in this pass (its last objects appear 18 s in; the next
            // pass starts at least 20 s after the ack), and wait until each has ended.
            var passEnds = started + TimeSpan.FromSeconds(Scene.Seconds - 3.5);
            List<JsonObject> ThisPass(string kind) => [.. Events(client, kind).Where(e => (DateTimeOffset)e["firstSeen"]! < passEnds)];
            var deadline = started + TimeSpan.FromSeconds(Scene.Seconds + 8);
            while (DateTimeOffset.UtcNow < deadline && (DateTimeOffset.UtcNow < passEnds || ThisPass("end").Count < ThisPass("new").Count))
            {
                await Task.Delay(200);
            }

            var created = ThisPass("new");
            var ended = ThisPass("end");

            // A track's class is the vote of all its detections, so its end names it best (a horse may be a cat at first).
            ended.Select(e => (int)e["trackId"]!).Should().BeEquivalentTo(created.Select(e => (int)e["trackId"]!));
            ended.GroupBy(e => (string?)e["className"]).ToDictionary(g => g.Key!, g => g.Count())
                .Should().BeEquivalentTo(fixture.Scene.TrueObjects, "each true object is one track: {0}", string.Join("; ", ended.Select(e => $"{e["className"]}#{e["trackId"]} at {e["firstSeen"]} {e["bbox"]!.ToJsonString()}")));
            client.Seen.Where(m => (string?)m["type"] == "trackEvent").Should().NotContain(m => (string?)m["payload"]!["className"] == "car");
        }
    }

    private static List<JsonObject> Events(StreamSocketClient client, string kind) =>
        [.. client.Seen.Where(m => (string?)m["type"] == "trackEvent" && (string?)m["payload"]!["event"] == kind).Select(m => m["payload"]!.AsObject())];

    private async Task<JsonArray> Streams() => (await fixture.Client.Http.GetFromJsonAsync<JsonArray>("/api/streams"))!;
}

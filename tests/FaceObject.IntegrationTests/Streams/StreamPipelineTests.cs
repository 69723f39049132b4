using System.Text.Json.Nodes;
using FaceObject.Testing.Cameras;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>
/// A stream whose model is a pipeline, on the real RTSP scene: each stable dog track starts one run (not one per
/// frame), carrying the camera, the track and the follower's session, and its result comes back on the WebSocket.
/// </summary>
[Collection(LiveStreamGroup.Name)]
public sealed class StreamPipelineTests(LiveStreamFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StableTrack_StartsOneRunWithItsSession_AndItsResultIsPushedToTheFollower()
    {
        await using var client = await StreamSocketClient.ConnectAsync(fixture.SocketUrl);
        await client.SendAsync("setSessionId", new { displayIdentifier = "display-9", sessionId = "visit-42" });
        await client.SendAsync("subscribe", new
        {
            subscriptionIdentifier = "display-9;cam-dog", rtspUrl = fixture.Camera.Url("cam"), modelId = LiveStreamFixture.DogBreedPipeline, fps = 5,
        });
        var ack = await client.WaitForAsync("subscribeAck", Patience);

        var pushed = await client.WaitForAsync("pipelineResult", Patience);
        var trackId = (int)pushed["trackId"]!;
        await client.WaitForAsync("trackEvent", Patience, e => (int)e["trackId"]! == trackId && string.Equals((string?)e["event"], "end", StringComparison.OrdinalIgnoreCase));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a run started in the track's last frames has time to end
        await client.SendAsync("unsubscribe", new { subscriptionIdentifier = "display-9;cam-dog" });
        await client.WaitForAsync("unsubscribeAck", Patience);

        ((string?)pushed["sessionId"]).Should().Be("visit-42");
        ((string?)pushed["status"]).Should().Be("completed", pushed.ToJsonString());
        ((string?)pushed["streamId"]).Should().Be((string?)ack["streamId"]);
        var result = pushed["result"]!;
        ((string?)result["branches"]!["breed"]!["status"]).Should().Be("succeeded", result.ToJsonString());
        ((string?)result["branches"]!["breed"]!["class_name"]).Should().NotBeNullOrEmpty();
        ((int)result["detections"]![0]!["track_id"]!).Should().Be(trackId);
        ((string?)result["detections"]![0]!["class_name"]).Should().Be("dog");

        var seen = client.Seen;
        IEnumerable<JsonNode> Payloads(string type) => seen.Where(m => (string?)m["type"] == type).Select(m => m["payload"]!);
        var dogTracks = Payloads("trackEvent").Where(p => (string?)p["className"] == "dog" && string.Equals((string?)p["event"], "new", StringComparison.OrdinalIgnoreCase))
            .Select(p => (int)p["trackId"]!).ToList();
        var runs = Payloads("pipelineResult").Select(p => (int)p["trackId"]!).ToList();
        runs.Should().OnlyHaveUniqueItems("one run per stable track");
        runs.Should().BeSubsetOf(dogTracks, "only stable dog tracks start runs");
        Payloads("imageDetection").Count().Should().BeGreaterThan(5 * runs.Count, "runs are per track, not per frame");

        var rows = new List<(string? Session, string? Camera, int Track, string? Breed)>();
        await using (var connection = await fixture.Postgres.OpenAsync())
        await using (var query = new Npgsql.NpgsqlCommand("SELECT session_id, camera_id, track_id, breed FROM dog_visits WHERE camera_id = @c", connection))
        {
            query.Parameters.AddWithValue("c", (string)ack["streamId"]!);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        rows.Select(r => r.Track).Should().OnlyHaveUniqueItems("one row per stable track, not per frame")
            .And.Contain(runs).And.BeSubsetOf(dogTracks);
        rows.Should().OnlyContain(r => r.Session == "visit-42" && r.Breed != null);
        var task = (await fixture.Client.GetTaskAsync((string)pushed["taskId"]!))!;
        ((string?)task["kind"]).Should().Be("pipeline");
        ((string?)task["model"]).Should().Be(LiveStreamFixture.DogBreedPipeline);
        var detect = task["stages"]!.AsArray().Single(s => (string?)s!["stage"] == "detect")!;
        ((string?)detect["queue"]).Should().Be("stream", "the stream detected and tracked the dog itself");
    }
}

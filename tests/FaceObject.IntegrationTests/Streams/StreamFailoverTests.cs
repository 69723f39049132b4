using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceObject.IntegrationTests.Reliability;
using FaceObject.Testing.Cameras;
using FaceObject.Testing.Scenes;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>
/// The distributed setup: Redis (AOF), two API replicas and two stream workers as separate processes, a real RTSP
/// camera and a WebSocket client on each API. The owner is killed with SIGKILL, then Redis restarts: the clients keep
/// receiving.
/// With the live tests, after the parallel ones: its lease timings, and theirs, need the cores.
/// </summary>
[Collection(LiveStreamGroup.Name)]
public sealed class StreamFailoverTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>StreamWorkerOptions.Lease: another worker may take a stream once its owner missed renewing it this long.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ServiceCluster _cluster = new(appendOnly: true);
    private readonly RtspTestServer _camera = new(new Dictionary<string, string> { ["cam"] = Scene.Clip.FramePattern }, Scene.Fps);

    [Fact]
    public async Task KilledOwner_IsReplacedWithinLeasePlus2Seconds_AndARedisRestartIsRiddenOut_WhileClientsOfTwoApiReplicasKeepReceiving()
    {
        var cameras = new Dictionary<string, string?> { ["Streams:AllowedSources:0"] = "127.0.0.1" };
        var api = await _cluster.StartApiAsync();
        var workers = await Task.WhenAll(_cluster.StartStreamWorkerAsync(cameras), _cluster.StartStreamWorkerAsync(cameras));
        await using var client = await StreamSocketClient.ConnectAsync(api.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-1;cam", rtspUrl = _camera.Url("cam"), modelId = "object", fps = 5 });
        var streamId = (string)(await client.WaitForAsync("subscribeAck", Patience))["streamId"]!;
        await client.WaitForAsync("imageDetection", Patience);

        // A client of another API replica follows the same stream: one reader, events fanned out through Redis.
        var otherApi = await _cluster.StartApiAsync();
        await using var otherClient = await StreamSocketClient.ConnectAsync(otherApi.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        await otherClient.SendAsync("subscribe", new { subscriptionIdentifier = "display-2;cam", rtspUrl = _camera.Url("cam"), modelId = "object", fps = 5 });
        var otherStreamId = (string?)(await otherClient.WaitForAsync("subscribeAck", Patience))["streamId"];
        await otherClient.WaitForAsync("imageDetection", Patience);
        otherStreamId.Should().Be(streamId);
        (await otherApi.Client.Http.GetFromJsonAsync<JsonArray>("/api/streams"))!.Should().ContainSingle();

        var owner = (await OwnerAsync(api, streamId))!;
        var killed = workers.Single(w => owner.Contains($":{w.ProcessId}:", StringComparison.Ordinal));
        killed.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        string? newOwner = null;
        while (DateTimeOffset.UtcNow - killedAt < Lease + Patience && ((newOwner = await OwnerAsync(api, streamId)) == owner || newOwner is null))
        {
            await Task.Delay(100);
        }

        var takenOverIn = DateTimeOffset.UtcNow - killedAt;
        await client.WaitForAsync("imageDetection", Patience, p => (DateTimeOffset)p["timestamp"]! > killedAt);
        var framesAgainIn = DateTimeOffset.UtcNow - killedAt;

        _cluster.Redis.Stop();
        await Task.Delay(TimeSpan.FromSeconds(3));
        _cluster.Redis.Start();
        var restartedAt = DateTimeOffset.UtcNow;
        await client.WaitForAsync("imageDetection", TimeSpan.FromSeconds(45), p => (DateTimeOffset)p["timestamp"]! > restartedAt);
        var resumedIn = DateTimeOffset.UtcNow - restartedAt;

        output.WriteLine($"taken over in {takenOverIn.TotalSeconds:F1} s, frames again {framesAgainIn.TotalSeconds:F1} s after the kill, resumed {resumedIn.TotalSeconds:F1} s after Redis restarted");
        takenOverIn.Should().BeLessThanOrEqualTo(Lease + TimeSpan.FromSeconds(2), "the other worker takes the stream once the lease lapses");
        newOwner.Should().NotBe(owner).And.Contain($":{workers.Single(w => w != killed).ProcessId}:");
        resumedIn.Should().BeLessThan(TimeSpan.FromSeconds(20), "the stream carries on after Redis comes back with its data");
        (await OwnerAsync(api, streamId)).Should().NotBeNullOrEmpty();
        client.IsOpen.Should().BeTrue("the client never had to reconnect");
        await otherClient.WaitForAsync("imageDetection", Patience, p => (DateTimeOffset)p["timestamp"]! > restartedAt);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _camera.Dispose();
    }

    private static async Task<string?> OwnerAsync(ApiHost api, string streamId) =>
        (string?)(await api.Client.Http.GetFromJsonAsync<JsonObject>($"/api/streams/{streamId}"))!["status"]!["owner"];
}

using FaceObject.IntegrationTests.Reliability;
using FaceObject.Testing.Cameras;
using FaceObject.Testing.Scenes;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>
/// A pipeline stream in the distributed setup: Redis, an API process, a stream worker and an ImageNet worker as
/// separate processes. The stream worker starts the run for the stable dog track; the branch runs on the imagenet
/// worker; the result comes back to the WebSocket client of the API through Redis.
/// </summary>
[Collection(LiveStreamGroup.Name)]
public sealed class DistributedStreamPipelineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ServiceCluster _cluster = new(appendOnly: false);
    private readonly RtspTestServer _camera = new(new Dictionary<string, string> { ["cam"] = Scene.Clip.FramePattern }, Scene.Fps);

    public DistributedStreamPipelineTests()
    {
        _cluster.Settings["Streams:AllowedSources:0"] = "127.0.0.1";
        Pipelines.PipelineRunFixture.AddImageNetClassifier(_cluster.Settings);
        Pipelines.PipelineRunFixture.AddPipeline(_cluster.Settings, "dog-breed", """
            {
              "detect": { "model": "object", "expected_classes": ["dog"] },
              "branches": [ { "id": "breed", "model": "imagenet", "crop_class": "dog", "timeout_seconds": 20 } ]
            }
            """);
    }

    [Fact]
    public async Task StableTrack_RunsItsBranchOnTheClassifierWorker_AndTheResultReachesTheClientOfTheApi()
    {
        var api = await _cluster.StartApiAsync();
        var streams = await _cluster.StartStreamWorkerAsync();
        var classifiers = await _cluster.StartWorkerAsync("imagenet");
        await using var client = await StreamSocketClient.ConnectAsync(api.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        await client.SendAsync("setSessionId", new { displayIdentifier = "display-3", sessionId = "lane-3" });
        await client.SendAsync("subscribe", new { subscriptionIdentifier = "display-3;cam", rtspUrl = _camera.Url("cam"), modelId = "dog-breed", fps = 5 });
        await client.WaitForAsync("subscribeAck", Patience);

        var pushed = await client.WaitForAsync("pipelineResult", Patience);

        ((string?)pushed["status"]).Should().Be("completed", pushed.ToJsonString());
        ((string?)pushed["sessionId"]).Should().Be("lane-3");
        ((string?)pushed["result"]!["branches"]!["breed"]!["status"]).Should().Be("succeeded");
        var taskId = (string)pushed["taskId"]!;
        await streams.WaitForOutputAsync($"pipeline dog-breed runs as task {taskId}", TimeSpan.FromSeconds(5));
        await classifiers.WaitForOutputAsync($"Pipeline task {taskId}: stage branch:breed (imagenet) Succeeded", TimeSpan.FromSeconds(5));
        streams.Output.Should().NotContain($"Pipeline task {taskId}: stage branch:breed", "the stream worker serves no queue");
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _camera.Dispose();
    }
}

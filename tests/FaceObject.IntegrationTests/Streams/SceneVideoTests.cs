using System.Text.Json.Nodes;
using FaceObject.Core.Results;
using FaceObject.Testing;
using FaceObject.Testing.Mot;
using Xunit.Abstractions;

namespace FaceObject.IntegrationTests.Streams;

/// <summary>An uploaded video goes through the same tracker as a live stream: the generated scene, the real object model.</summary>
[Collection(LiveStreamGroup.Name)]
public sealed class SceneVideoTests(LiveStreamFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task SceneVideo_IsTrackedWithIdf1OfAtLeast08_AndCountsEachTrueObjectOnce()
    {
        var scene = fixture.Scene;
        using var submitted = await fixture.Client.SubmitVideoAsync("object", await File.ReadAllBytesAsync(scene.Mp4Path), "scene.mp4", "?sample_fps=5");
        var taskId = (await FaceObjectClient.ReadAcceptedAsync(submitted))["task_id"]!.GetValue<string>();

        var task = await fixture.Client.WaitForEndAsync(taskId, TimeSpan.FromMinutes(3));

        ((string?)task["status"]).Should().Be("completed");
        var frames = task["result"]!["frames"]!.AsArray().Select(f => f!.AsObject()).ToList();
        var hypotheses = frames
            .SelectMany(f => f["detections"]!.AsArray().Where(d => d!["track_id"] is not null).Select(d => ToMotBox((int)f["index"]! + 1, d!.AsObject())))
            .ToList();
        var sampled = frames.Select(f => (int)f["index"]! + 1).ToHashSet();
        var metrics = MotEvaluator.Evaluate([.. scene.Truth.Where(b => sampled.Contains(b.Frame))], hypotheses);
        output.WriteLine(metrics.ToString());
        foreach (var frame in frames)
        {
            output.WriteLine($"{frame["index"]}: " + string.Join(", ", frame["detections"]!.AsArray().Select(d =>
                $"{d!["class_name"]}#{d["track_id"]} {(double)d["confidence"]!:F2} [{d["bbox"]!["x1"]:F0},{d["bbox"]!["y1"]:F0},{d["bbox"]!["x2"]:F0},{d["bbox"]!["y2"]:F0}]")));
        }

        metrics.Idf1.Should().BeGreaterThanOrEqualTo(0.8, metrics.ToString());
        task["result"]!["summary"]!["tracked"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!)
            .Should().BeEquivalentTo(scene.TrueObjects, "each true object is counted once, whatever the frames it is seen in");
    }

    private static MotBox ToMotBox(int frame, JsonObject detection)
    {
        var box = detection["bbox"]!;
        return new MotBox(frame, (int)detection["track_id"]!, new BoundingBox((float)box["x1"]!, (float)box["y1"]!, (float)box["x2"]!, (float)box["y2"]!), (int)detection["class_id"]!);
    }
}

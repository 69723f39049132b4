using System.Text.RegularExpressions;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests;

/// <summary>
/// The local form of <c>docker compose --scale</c>: several worker processes of one queue against one Redis share
/// its jobs, each task runs once, and the other queue's pool is not involved.
/// </summary>
public sealed partial class ScalingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly RedisServer _redis = new();
    private readonly List<ServiceProcess> _processes = [];

    [Fact]
    public async Task FaceWorkers_ShareTheFaceQueueAndRunEachTaskOnce_WhenThreeRunBesideOneObjectWorker()
    {
        var settings = ServiceProcess.SharedModelSettings();
        settings["ConnectionStrings:Redis"] = _redis.ConnectionString;
        settings["Worker:WorkerCount"] = "1";
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var api = Start(ServiceProcess.StartApi(url, settings));
        var faceWorkers = Enumerable.Range(0, 3).Select(_ => Start(ServiceProcess.StartWorker("face", settings))).ToList();
        var objectWorker = Start(ServiceProcess.StartWorker("object", settings));
        await api.WaitForHttpAsync(url + "/livez", Timeout);
        foreach (var worker in faceWorkers.Append(objectWorker))
        {
            await worker.WaitForOutputAsync("warmed up", Timeout);
        }

        using var client = new FaceObjectClient(url);
        string[] faceImages = ["faces_2.jpg", "faces_3.jpg", "faces_6.jpg", "faces_10.jpg"];
        var faceTasks = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes(faceImages[i % faceImages.Length]))));
        var objectTasks = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            client.SubmitImageExpectingAcceptedAsync("object", TestPaths.ImageBytes("dog.jpg"))));

        foreach (var taskId in faceTasks.Concat(objectTasks))
        {
            var task = await client.WaitForEndAsync(taskId, Timeout);
            task["status"]!.GetValue<string>().Should().Be("completed");
            task["attempts"]!.GetValue<int>().Should().Be(1);
        }

        var runsPerFaceWorker = faceWorkers.Select(CompletedTaskIds).ToList();
        runsPerFaceWorker.Should().AllSatisfy(runs => runs.Should().NotBeEmpty("every face worker takes a share"));
        var allFaceRuns = runsPerFaceWorker.SelectMany(r => r).ToList();
        allFaceRuns.Should().OnlyHaveUniqueItems("no task runs twice").And.BeEquivalentTo(faceTasks);
        CompletedTaskIds(objectWorker).Should().BeEquivalentTo(objectTasks, "the object pool alone serves the object queue");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        _redis.Dispose();
    }

    private ServiceProcess Start(ServiceProcess process)
    {
        _processes.Add(process);
        return process;
    }

    /// <summary>Task ids this worker ran to completion, read from its "Task {id}: {model} found ..." log lines.</summary>
    private static List<string> CompletedTaskIds(ServiceProcess worker) =>
        CompletedLine().Matches(worker.Output).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"Task ([0-9a-f-]{36}): \S+ found \d+ objects")]
    private static partial Regex CompletedLine();
}

using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Inference;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Models;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// Runs a model on a task's payload and stores the result. Re-entrant: a task that already ended (a duplicate
/// delivery) is left alone, a task another worker is processing under a live lease is left to it, and the store
/// only accepts the first result. Videos go to <see cref="VideoDetection"/>.
/// </summary>
internal sealed partial class DetectionJob(
    TaskRunner runner,
    TaskInputLoader inputs,
    LoadedModels models,
    VideoDetection videos,
    TimeProvider clock,
    ILogger<DetectionJob> logger) : IDetectionJob
{
    public async Task RunAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var run = await runner.StartAsync(taskId, cancellationToken);
        if (run is null)
        {
            return;
        }

        var task = run.Record;
        var input = await inputs.LoadAsync(task, run.Token);
        if (input.Content is not { } payload)
        {
            throw await run.FailAsync(input.Failure!);
        }

        if (task.Kind == TaskKind.Video)
        {
            await videos.RunAsync(run, payload);
            return;
        }

        OpenCvSharp.Mat image;
        try
        {
            image = ImageDecoder.Decode(payload);
        }
        catch (ImageDecodeException e)
        {
            throw await run.FailAsync(e.Message);
        }

        ImageDetectionResult result;
        using (image)
        {
            var detector = models.Get(task.Model);
            result = new ImageDetectionResult
            {
                TaskId = task.TaskId,
                Model = task.Model,
                Image = new ImageSize(image.Width, image.Height),
                Detections = detector.Detect(image, task.Options.ScoreThreshold),
                ProcessedAt = clock.GetUtcNow(),
                ProcessingTimeMs = run.ElapsedMs,
                Device = detector.Info.Device,
            };
        }

        var json = JsonSerializer.Serialize(result, FaceObjectJson.Options);
        var written = await run.CompleteAsync(json, result.ProcessedAt, result.ProcessingTimeMs);
        LogCompleted(taskId, task.Model, result.Detections.Count, result.ProcessingTimeMs, written);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Model} found {Count} objects in {ElapsedMs} ms (stored: {Written})")]
    private partial void LogCompleted(string taskId, string model, int count, double elapsedMs, bool written);
}

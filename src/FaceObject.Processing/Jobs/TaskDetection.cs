using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// One task's life on the worker (a detection job runs one or, bundled, several): start it under a lease, fetch its payload, hand it to the <see cref="ImagePipeline"/>
/// or to <see cref="VideoDetection"/>, store the result or fail the task. Re-entrant: a task that already ended (a
/// duplicate delivery) is left alone, a task another worker is processing under a live lease is left to it, and the
/// store only accepts the first result.
/// </summary>
internal sealed partial class TaskDetection(
    TaskRunner runner,
    TaskInputLoader inputs,
    ImagePipeline pipeline,
    VideoDetection videos,
    ResultObjects resultObjects,
    ILogger<TaskDetection> logger)
{
    /// <summary>Runs the task; throws for Hangfire to retry, or <see cref="TaskFailedException"/> once it has failed for good.</summary>
    public async Task RunAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var run = await runner.StartAsync(taskId, cancellationToken);
        if (run is null)
        {
            return;
        }

        var task = run.Record;
        var input = await inputs.LoadAsync(task, run.Payload, run.Token);
        if (input.Content is not { } payload)
        {
            throw await run.FailAsync(input.Failure!);
        }

        if (task.Kind == TaskKind.Video)
        {
            // Null when another worker took the task over; that worker stores the result.
            if (await videos.RunAsync(run, payload) is { } video)
            {
                var stored = await CompleteAsync(run, JsonSerializer.Serialize(video.Result, FaceObjectJson.Options), video.Result.ProcessedAt, video.Result.ProcessingTimeMs, null);
                LogVideoCompleted(taskId, task.Model, video.Result.Summary.FramesProcessed, video.FramesRead, video.Detections, video.Result.ProcessingTimeMs, stored);
            }

            return;
        }

        ImageOutcome image;
        try
        {
            image = await pipeline.RunAsync(task, payload, run.StartTimestamp, run.Token);
        }
        catch (TaskInputException e)
        {
            throw await run.FailAsync(e.Message);
        }

        var result = image.Result;
        var written = await CompleteAsync(run, JsonSerializer.Serialize(result, FaceObjectJson.Options), result.ProcessedAt, result.ProcessingTimeMs, image.OutputImageKey);
        LogCompleted(taskId, task.Model, result.Detections.Count, result.ProcessingTimeMs, written);
    }

    /// <summary>Stores the result document (also as an object in the bucket, when there is one) and completes the task.</summary>
    private async Task<bool> CompleteAsync(TaskRun run, string json, DateTimeOffset processedAt, double processingTimeMs, string? outputImageKey)
    {
        await resultObjects.PutAsync(run.Record, json);
        return await run.CompleteAsync(json, processedAt, processingTimeMs, outputImageKey);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Model} found {Count} objects in {ElapsedMs} ms (stored: {Written})")]
    private partial void LogCompleted(string taskId, string model, int count, double elapsedMs, bool written);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Model} ran on {Sampled} of {Read} video frames, {Count} detections in {ElapsedMs} ms (stored: {Written})")]
    private partial void LogVideoCompleted(string taskId, string model, int sampled, int read, int count, double elapsedMs, bool written);
}

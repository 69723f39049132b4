using System.Diagnostics;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Inference;
using FaceObject.Processing.Models;
using FaceObject.Processing.Telemetry;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// Runs a model on a task's payload and stores the result. Re-entrant: a task that already ended (a duplicate
/// delivery) is left alone, and the store only accepts the first result.
/// </summary>
internal sealed partial class DetectionJob(
    ITaskStore tasks,
    IPayloadStore payloads,
    LoadedModels models,
    TimeProvider clock,
    ILogger<DetectionJob> logger) : IDetectionJob
{
    public async Task RunAsync(string taskId, CancellationToken cancellationToken)
    {
        var outcome = await tasks.TryStartAsync(taskId, clock.GetUtcNow(), cancellationToken);
        if (outcome != StartOutcome.Started)
        {
            LogSkipped(taskId, outcome);
            return;
        }

        var task = await tasks.GetAsync(taskId, cancellationToken)
            ?? throw new TaskFailedException($"Task {taskId} disappeared while starting.");
        var started = Stopwatch.GetTimestamp();
        if (task.QueueTimeMs is { } queueMs)
        {
            ProcessingMetrics.QueueWait.WithLabels(task.Model).Observe(queueMs / 1000);
        }

        var payload = task.PayloadKey is null ? null : await payloads.GetAsync(task.PayloadKey, cancellationToken);
        if (payload is null)
        {
            throw await FailAsync(task, "The uploaded content is no longer stored (it expired or was deleted); submit it again.");
        }

        OpenCvSharp.Mat image;
        try
        {
            image = ImageDecoder.Decode(payload);
        }
        catch (ImageDecodeException e)
        {
            throw await FailAsync(task, e.Message);
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
                ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2),
                Device = detector.Info.Device,
            };
        }

        var json = JsonSerializer.Serialize(result, FaceObjectJson.Options);
        var written = await tasks.TryCompleteAsync(taskId, new TaskCompletion(json, result.ProcessedAt, result.ProcessingTimeMs), cancellationToken);
        await PayloadRetention.ReleaseAsync(payloads, task, logger);
        if (written)
        {
            ProcessingMetrics.Completed.WithLabels(task.Model).Inc();
            ProcessingMetrics.Inference.WithLabels(task.Model).Observe(result.ProcessingTimeMs / 1000);
            ProcessingMetrics.EndToEnd.WithLabels(task.Model).Observe((result.ProcessedAt - task.CreatedAt).TotalSeconds);
        }

        LogCompleted(taskId, task.Model, result.Detections.Count, result.ProcessingTimeMs, written);
    }

    /// <summary>Marks the task failed and returns the exception that tells Hangfire not to retry.</summary>
    private async Task<TaskFailedException> FailAsync(TaskRecord task, string reason)
    {
        if (await tasks.TryFailAsync(task.TaskId, reason, clock.GetUtcNow(), CancellationToken.None))
        {
            ProcessingMetrics.Failed.WithLabels(task.Model).Inc();
        }

        await PayloadRetention.ReleaseAsync(payloads, task, logger);

        LogFailed(task.TaskId, task.Model, reason);
        return new TaskFailedException(reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: not run ({Outcome})")]
    private partial void LogSkipped(string taskId, StartOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Model} found {Count} objects in {ElapsedMs} ms (stored: {Written})")]
    private partial void LogCompleted(string taskId, string model, int count, double elapsedMs, bool written);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: {Model} failed: {Reason}")]
    private partial void LogFailed(string taskId, string model, string reason);
}

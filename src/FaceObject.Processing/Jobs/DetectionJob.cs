using System.Diagnostics;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// A task's life on the worker: start it, fetch its payload, hand it to the <see cref="ImagePipeline"/>, store the
/// result or fail the task. Re-entrant: a task that already ended (a duplicate delivery) is left alone, and the
/// store only accepts the first result.
/// </summary>
internal sealed partial class DetectionJob(
    ITaskStore tasks,
    TaskInputLoader inputs,
    IPayloadStore payloads,
    IJobScheduler scheduler,
    ImagePipeline pipeline,
    PayloadRetention retention,
    IOptions<TaskOptions> taskOptions,
    TimeProvider clock,
    ILogger<DetectionJob> logger,
    IObjectBucket? bucket = null) : IDetectionJob
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

        var input = await inputs.LoadAsync(task, cancellationToken);
        if (input.Content is not { } payload)
        {
            throw await FailAsync(task, input.Failure!);
        }

        ImageOutcome image;
        try
        {
            image = await pipeline.RunAsync(task, payload, started, cancellationToken);
        }
        catch (TaskInputException e)
        {
            throw await FailAsync(task, e.Message);
        }

        var result = image.Result;
        var json = JsonSerializer.Serialize(result, FaceObjectJson.Options);
        if (bucket is not null)
        {
            // Before the record completes, so a completed task always has its result object; a storage fault here
            // throws and Hangfire retries the whole job.
            var keep = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
            await payloads.PutAsync(PayloadKeys.Result(taskId), System.Text.Encoding.UTF8.GetBytes(json), keep > TimeSpan.Zero ? keep : TimeSpan.FromMinutes(1), cancellationToken);
        }

        var completion = new TaskCompletion(json, result.ProcessedAt, result.ProcessingTimeMs, image.OutputImageKey);
        var written = await tasks.TryCompleteAsync(taskId, completion, cancellationToken);
        await retention.ReleaseAsync(task);
        if (written)
        {
            ProcessingMetrics.Completed.WithLabels(task.Model).Inc();
            ProcessingMetrics.Inference.WithLabels(task.Model).Observe(result.ProcessingTimeMs / 1000);
            ProcessingMetrics.EndToEnd.WithLabels(task.Model).Observe((result.ProcessedAt - task.CreatedAt).TotalSeconds);
            scheduler.EnqueueCallbackIfAsked(task);
        }

        LogCompleted(taskId, task.Model, result.Detections.Count, result.ProcessingTimeMs, written);
    }

    /// <summary>Marks the task failed and returns the exception that tells Hangfire not to retry.</summary>
    private async Task<TaskFailedException> FailAsync(TaskRecord task, string reason)
    {
        if (await tasks.TryFailAsync(task.TaskId, reason, clock.GetUtcNow(), CancellationToken.None))
        {
            ProcessingMetrics.Failed.WithLabels(task.Model).Inc();
            scheduler.EnqueueCallbackIfAsked(task);
        }

        await retention.ReleaseAsync(task);

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

using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Jobs;
using FaceObject.Processing.Telemetry;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// Ends a pipeline run's task: after the last step, checks the required branches, runs the actions and stores the
/// result document (<see cref="PipelineResult"/>); or fails it with the reason. Either way the callback is enqueued
/// when one was asked for, once, by whoever ended the task.
/// </summary>
internal sealed partial class PipelineFinisher(
    ITaskStore tasks,
    IJobScheduler scheduler,
    PayloadRetention retention,
    PipelineActions actions,
    ResultObjects resultObjects,
    TimeProvider clock,
    ILogger<PipelineFinisher> logger)
{
    public async Task FinishAsync(TaskRecord task, PipelineRun run, CancellationToken cancellationToken)
    {
        var required = run.Definition.Branches.Where(b => b.Required).Select(b => run.Stages.GetValueOrDefault(PipelinePlan.BranchStage(b.Id))).ToList();
        if (required.Count > 0 && !required.Any(s => s?.Status == StageStatus.Succeeded))
        {
            var why = string.Join("; ", required.OfType<StageState>().Select(s => $"{PipelinePlan.BranchIdOf(s.Stage)}: {s.Error?.Type} ({s.Error?.Error})"));
            await FailAsync(task, $"No required branch succeeded: {why}");
            return;
        }

        run = await actions.RunAsync(task, run, cancellationToken);
        var now = clock.GetUtcNow();
        var totalMs = Math.Round((now - (task.StartedAt ?? task.CreatedAt)).TotalMilliseconds, 2);
        var result = PipelineResult.Build(task, run, now, totalMs);
        var outputKey = run.Stages.TryGetValue(PipelinePlan.BlurStage, out var blur) && blur.Status == StageStatus.Succeeded ? PayloadKeys.Processed(task.TaskId) : null;
        var json = JsonSerializer.Serialize(result, FaceObjectJson.Options);
        await resultObjects.PutAsync(task, json);
        var written = await tasks.TryCompleteAsync(task.TaskId, new TaskCompletion(json, now, totalMs, outputKey), CancellationToken.None);
        if (written)
        {
            ProcessingMetrics.Completed.WithLabels(task.Model).Inc();
            ProcessingMetrics.EndToEnd.WithLabels(task.Model).Observe((now - task.CreatedAt).TotalSeconds);
            scheduler.EnqueueCallbackIfAsked(task);
            LogCompleted(task.TaskId, task.Model, totalMs);
        }

        await retention.ReleaseAsync(task);
    }

    public async Task FailAsync(TaskRecord task, string reason)
    {
        if (await tasks.TryFailAsync(task.TaskId, reason, clock.GetUtcNow(), CancellationToken.None))
        {
            ProcessingMetrics.Failed.WithLabels(task.Model).Inc();
            scheduler.EnqueueCallbackIfAsked(task);
            LogFailed(task.TaskId, task.Model, reason);
        }

        await retention.ReleaseAsync(task);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: {Pipeline} completed in {TotalMs} ms")]
    private partial void LogCompleted(string taskId, string pipeline, double totalMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: {Pipeline} failed: {Reason}")]
    private partial void LogFailed(string taskId, string pipeline, string reason);
}

using System.Diagnostics;
using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Jobs;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// One model stage of a run, on its model's queue: records it running, runs the model on the run's stored input,
/// and ends the stage with its result or its error. A branch's failure is isolated in its stage; a <c>detect</c> or
/// <c>blur</c> failure that a retry may fix is thrown for Hangfire to retry. Whoever ends the last open stage of a
/// step enqueues the run's next step. A stage that had ended (timed out, or delivered twice) is not run.
/// </summary>
internal sealed partial class PipelineStageRunner(
    IPipelineRunStore runs,
    ITaskStore tasks,
    TaskInputLoader inputs,
    StageWork work,
    IJobScheduler scheduler,
    TimeProvider clock,
    ILogger<PipelineStageRunner> logger)
{
    public async Task RunAsync(string taskId, string stageKey, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(taskId, cancellationToken);
        var stage = run?.Stages.GetValueOrDefault(stageKey);
        var task = await tasks.GetAsync(taskId, cancellationToken);
        if (run is null || stage is null || stage.HasEnded || task is null || task.Status.IsTerminal())
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var running = stage with { Status = StageStatus.Running, StartedAt = clock.GetUtcNow() };
        await runs.UpdateStageAsync(taskId, running, cancellationToken);
        StageState ended;
        try
        {
            var input = await inputs.LoadAsync(task, null, cancellationToken);
            if (input.Content is not { } content)
            {
                ended = Ended(running, started, StageStatus.Failed, error: new StageError(StageError.InputError, input.Failure!));
            }
            else
            {
                var result = await work.RunAsync(task, run.Definition, running, content, cancellationToken);
                ended = Ended(running, started, StageStatus.Succeeded, result);
            }
        }
        catch (TaskInputException e)
        {
            ended = Ended(running, started, StageStatus.Failed, error: new StageError(StageError.InputError, e.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException && PipelinePlan.BranchIdOf(stageKey) is not null)
        {
            // A branch is isolated: its error is its result, and the run goes on without it.
            ended = Ended(running, started, StageStatus.Failed, error: new StageError(StageError.ModelError, e.Message));
        }

        await EndAsync(taskId, ended, cancellationToken);
    }

    /// <summary>Ends a branch that has not ended by its <c>timeout_seconds</c>; the model's later answer, if any, is dropped.</summary>
    public async Task ExpireAsync(string taskId, string stageKey, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(taskId, cancellationToken) is not { } run || !run.Stages.TryGetValue(stageKey, out var stage) || stage.HasEnded)
        {
            return;
        }

        var seconds = PipelinePlan.Branch(run.Definition, stageKey)?.TimeoutSeconds;
        var timedOut = stage with
        {
            Status = StageStatus.TimedOut,
            EndedAt = clock.GetUtcNow(),
            Error = new StageError(StageError.Timeout, $"No result within {seconds} s (the stage was {stage.Status.ToString().ToLowerInvariant()}).")
        };
        await EndAsync(taskId, timedOut, cancellationToken);
    }

    private async Task EndAsync(string taskId, StageState ended, CancellationToken cancellationToken)
    {
        var left = await runs.EndStageAsync(taskId, ended, cancellationToken);
        if (left is null)
        {
            LogAlreadyEnded(taskId, ended.Stage);
            return;
        }

        LogEnded(taskId, ended.Stage, ended.Model, ended.Status, ended.DurationMs, ended.Error?.Error);
        if (left == 0)
        {
            scheduler.EnqueuePipelineAdvance(taskId);
        }
    }

    private StageState Ended(StageState running, long started, StageStatus status, System.Text.Json.JsonElement? result = null, StageError? error = null) =>
        running with
        {
            Status = status,
            EndedAt = clock.GetUtcNow(),
            DurationMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2),
            Result = result,
            Error = error,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: stage {Stage} ({Model}) {Status} in {DurationMs} ms {Error}")]
    private partial void LogEnded(string taskId, string stage, string model, StageStatus status, double? durationMs, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: stage {Stage} had already ended (timed out or delivered twice); its result is dropped")]
    private partial void LogAlreadyEnded(string taskId, string stage);
}

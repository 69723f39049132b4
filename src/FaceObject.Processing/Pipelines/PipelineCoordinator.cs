using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// Moves a pipeline run along, on the pipelines queue: starts the task (an image URL is fetched here, once, through
/// the guarded client, and stored for the stages), then once every stage of a step has ended
/// enqueues the next step's stages on their models' queues (branches with their timeouts), and after the last step
/// runs the actions and ends the task. Each move is claimed in the run store, so repeated deliveries and racing
/// stage ends move a run once.
/// </summary>
internal sealed partial class PipelineCoordinator(
    IPipelineRunStore runs,
    ITaskStore tasks,
    PipelineCatalog catalog,
    Core.Models.ModelCatalog models,
    TaskInputLoader inputs,
    IJobScheduler scheduler,
    PipelineFinisher finisher,
    IOptions<TaskOptions> taskOptions,
    IOptions<ProcessingOptions> processing,
    TimeProvider clock,
    ILogger<PipelineCoordinator> logger)
{
    public async Task AdvanceAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await tasks.GetAsync(taskId, cancellationToken) is not { } task || task.Status.IsTerminal())
        {
            return;
        }

        var run = await runs.GetAsync(taskId, cancellationToken);
        if (run is not { Step: >= 0 } || task.Status == DetectionTaskStatus.Queued)
        {
            if (await StartAsync(task, run, cancellationToken) is not { } started)
            {
                return;
            }

            run = started;
        }

        var steps = PipelinePlan.Steps(run.Definition);
        while (run.Step < steps.Count)
        {
            if (run.Step >= 0 && steps[run.Step].Any(s => !run.Stages[s].HasEnded))
            {
                return; // The stage that ends last enqueues the next move.
            }

            if (FailedWholeImageStage(run) is { } failed)
            {
                await finisher.FailAsync(task, $"Stage {failed.Stage} ({failed.Model}) failed: {failed.Error?.Error}");
                return;
            }

            var next = run.Step + 1;
            var stages = next < steps.Count ? steps[next].Select(s => NewStage(run, s, next)).ToList() : [];
            if (!await runs.BeginStepAsync(taskId, next, stages, cancellationToken))
            {
                return; // Another delivery made this move.
            }

            foreach (var stage in stages.Where(s => !s.HasEnded))
            {
                var jobId = scheduler.EnqueuePipelineStage(stage.Queue, taskId, stage.Stage);
                await runs.UpdateStageAsync(taskId, stage with { JobId = jobId }, cancellationToken);
                if (PipelinePlan.Branch(run.Definition, stage.Stage) is { } branch)
                {
                    scheduler.SchedulePipelineStageTimeout(taskId, stage.Stage, TimeSpan.FromSeconds(branch.TimeoutSeconds));
                }
            }

            run = (await runs.GetAsync(taskId, cancellationToken))!;
        }

        await finisher.FinishAsync(task, run, cancellationToken);
    }

    /// <summary>
    /// Creates the run (unless a stream created it with its context), starts the task and fetches an image URL:
    /// null when there is nothing to do (the task ended, or its input can never be read and the task failed).
    /// </summary>
    private async Task<PipelineRun?> StartAsync(TaskRecord task, PipelineRun? run, CancellationToken cancellationToken)
    {
        if (run is null)
        {
            if (!catalog.TryGet(task.Model, out var definition))
            {
                await finisher.FailAsync(task, $"Pipeline '{task.Model}' is not configured on this worker; pipelines: {string.Join(", ", catalog.Names)}.");
                return null;
            }

            var left = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
            await runs.CreateAsync(new PipelineRun { TaskId = task.TaskId, Pipeline = task.Model, Definition = definition },
                left > TimeSpan.FromMinutes(1) ? left : TimeSpan.FromMinutes(1), cancellationToken);
        }

        if (task.Status == DetectionTaskStatus.Queued)
        {
            // Processing from here; the stages' jobs, not a lease, guard the work, so the lease is given back at once.
            var lease = new TaskLease($"{ProcessIdentity.Server}:{Guid.NewGuid():N}", processing.Value.LeaseDuration);
            var start = await tasks.TryStartAsync(task.TaskId, clock.GetUtcNow(), lease, cancellationToken);
            if (start.Outcome != StartOutcome.Started)
            {
                return null;
            }

            await tasks.ReleaseLeaseAsync(task.TaskId, lease, cancellationToken);

            task = start.Task!;
        }

        run = await runs.GetAsync(task.TaskId, cancellationToken);
        if (run is { Step: < 0 } && task.SourceUrl is not null)
        {
            // An image URL is fetched once, here, and stored for the stages; an upload or a bucket object is read by
            // each stage where it is (one that cannot be read fails its stage, and the run, with the reason).
            var input = await inputs.LoadAsync(task, null, cancellationToken);
            if (input.Failure is { } failure)
            {
                await finisher.FailAsync(task, failure);
                return null;
            }
        }

        LogStarted(task.TaskId, task.Model);
        return run;
    }

    /// <summary>A <c>detect</c> or <c>blur</c> stage that failed: nothing after it can run.</summary>
    private static StageState? FailedWholeImageStage(PipelineRun run) =>
        run.Stages.Values.FirstOrDefault(s => PipelinePlan.BranchIdOf(s.Stage) is null && s.Status is StageStatus.Failed or StageStatus.TimedOut);

    private StageState NewStage(PipelineRun run, string stageKey, int step)
    {
        var model = PipelinePlan.ModelOf(run.Definition, stageKey);
        var stage = new StageState { Stage = stageKey, Model = model, Queue = models.QueueOf(model), Step = step, QueuedAt = clock.GetUtcNow() };
        if (PipelinePlan.Branch(run.Definition, stageKey) is not { CropClass: { } cropClass } branch)
        {
            return stage;
        }

        var crop = PipelineTemplates.Detections(run).Where(d => d.ClassName == cropClass && d.Confidence >= (branch.MinConfidence ?? 0)).MaxBy(d => d.Confidence);
        return crop is not null
            ? stage with { Crop = crop }
            : stage with
            {
                Status = StageStatus.Skipped,
                EndedAt = clock.GetUtcNow(),
                Error = new StageError(StageError.NoCrop, $"No '{cropClass}' was detected{(branch.MinConfidence is { } min ? $" with confidence {min} or more" : "")}; nothing to classify."),
            };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: {Pipeline} started")]
    private partial void LogStarted(string taskId, string pipeline);
}

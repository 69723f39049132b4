namespace FaceObject.Core.Jobs;

/// <summary>
/// The Hangfire jobs of a pipeline run (docs/pipelines.md). Their type and method names are stored in job data (a
/// contract between the API and every deployed worker): do not rename them. Every method is re-entrant: a repeated
/// delivery finds its step done and does nothing.
/// </summary>
public interface IPipelineJob
{
    /// <summary>
    /// On <see cref="QueueNames.Pipelines"/>: starts the run, or, once the current step's stages have all ended, enqueues
    /// the next step's stage jobs; after the last step it runs the actions and ends the task.
    /// </summary>
    Task AdvanceAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>On the stage model's queue: runs one model stage (<c>detect</c>, <c>blur</c> or a branch id) of the run.</summary>
    Task RunStageAsync(string taskId, string stage, CancellationToken cancellationToken);

    /// <summary>Scheduled at a branch's <c>timeout_seconds</c>: ends the branch as timed out unless it has ended.</summary>
    Task ExpireStageAsync(string taskId, string stage, CancellationToken cancellationToken);
}

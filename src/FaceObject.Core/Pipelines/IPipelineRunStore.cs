namespace FaceObject.Core.Pipelines;

/// <summary>
/// The state of pipeline runs (<see cref="PipelineRun"/>), shared by every process that runs their stages. Every
/// change is atomic and guarded, so concurrent stage jobs, repeated deliveries and timeouts agree on one outcome per
/// stage and on exactly one move to each next step. Thread-safe.
/// </summary>
public interface IPipelineRunStore
{
    /// <summary>Creates the run (step -1, no stages) unless it exists; returns whether this call created it.</summary>
    Task<bool> CreateAsync(PipelineRun run, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    Task<PipelineRun?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves the run from step <paramref name="stepIndex"/> - 1 to <paramref name="stepIndex"/> with its stages (those already
    /// ended, such as a branch with nothing to crop, count as done). False, changing nothing, when the run is not at
    /// the step before: another delivery moved it already.
    /// </summary>
    Task<bool> BeginStepAsync(string taskId, int stepIndex, IReadOnlyList<StageState> stages, CancellationToken cancellationToken = default);

    /// <summary>Records a stage as running (or its job id) unless it has ended; returns whether it was written.</summary>
    Task<bool> UpdateStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a stage with its outcome, once: null when it had ended already (a timeout beat the model, or a repeated
    /// delivery); otherwise how many stages of its step are still open. The caller that sees 0 moves the run on.
    /// </summary>
    Task<int?> EndStageAsync(string taskId, StageState stage, CancellationToken cancellationToken = default);

    /// <summary>Records that an action is done, so a retried step does not run it again.</summary>
    Task RecordActionAsync(string taskId, int index, ActionOutcome outcome, CancellationToken cancellationToken = default);
}

using FaceObject.Core.Jobs;

namespace FaceObject.Processing.Pipelines;

/// <summary>The Hangfire entry points of a pipeline run (<see cref="IPipelineJob"/>).</summary>
internal sealed class PipelineJob(PipelineCoordinator coordinator, PipelineStageRunner stages) : IPipelineJob
{
    public Task AdvanceAsync(string taskId, CancellationToken cancellationToken) => coordinator.AdvanceAsync(taskId, cancellationToken);

    public Task RunStageAsync(string taskId, string stage, CancellationToken cancellationToken) => stages.RunAsync(taskId, stage, cancellationToken);

    public Task ExpireStageAsync(string taskId, string stage, CancellationToken cancellationToken) => stages.ExpireAsync(taskId, stage, cancellationToken);
}

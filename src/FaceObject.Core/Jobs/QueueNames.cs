namespace FaceObject.Core.Jobs;

/// <summary>Queues that are not model queues.</summary>
public static class QueueNames
{
    /// <summary>Webhook deliveries; served by every worker process and the all-in-one host.</summary>
    public const string Callbacks = "callbacks";

    /// <summary>
    /// Pipeline runs' own steps (docs/pipelines.md): starting a run, moving it from one stage to the next, and its
    /// actions. Served by every processing host, like <see cref="Callbacks"/>; the model stages run on their models' queues.
    /// </summary>
    public const string Pipelines = "pipelines";
}

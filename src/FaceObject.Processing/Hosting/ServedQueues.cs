namespace FaceObject.Processing.Hosting;

/// <summary>The model queues this process serves (callbacks are served by every processing host in addition).</summary>
public sealed record ServedQueues(IReadOnlyList<string> ModelQueues);

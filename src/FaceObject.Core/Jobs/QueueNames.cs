namespace FaceObject.Core.Jobs;

/// <summary>Queues that are not model queues.</summary>
public static class QueueNames
{
    /// <summary>Webhook deliveries; served by every worker process and the all-in-one host.</summary>
    public const string Callbacks = "callbacks";
}

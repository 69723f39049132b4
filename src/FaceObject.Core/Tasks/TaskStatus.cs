namespace FaceObject.Core.Tasks;

/// <summary>A task's life: queued, then processing, then one terminal state. Serialised in snake_case.</summary>
public enum DetectionTaskStatus
{
    Queued,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

public static class DetectionTaskStatusExtensions
{
    public static bool IsTerminal(this DetectionTaskStatus status) =>
        status is DetectionTaskStatus.Completed or DetectionTaskStatus.Failed or DetectionTaskStatus.Cancelled;
}

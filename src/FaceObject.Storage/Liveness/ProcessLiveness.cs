namespace FaceObject.Storage.Liveness;

/// <summary>
/// This process's liveness as task leases see it: its id, and whether its key (<see cref="Redis.RedisKeys.ProcessAlive"/>)
/// is being kept alive by <see cref="ProcessHeartbeat"/>. Only then may a lease name the process, because a lease
/// that names a process without a key counts as dead, and another worker would take the task over. Thread-safe.
/// </summary>
internal sealed class ProcessLiveness(string processId)
{
    private volatile bool _kept;

    public ProcessLiveness()
        : this(ProcessInstance.Id)
    {
    }

    public string ProcessId { get; } = processId;

    /// <summary>True from the heartbeat's first successful beat until it withdraws the key on a graceful stop.</summary>
    public bool IsKept
    {
        get => _kept;
        set => _kept = value;
    }

    /// <summary>The process a new lease should name, or null when this process keeps no liveness key.</summary>
    public string? LeaseProcess => _kept ? ProcessId : null;
}

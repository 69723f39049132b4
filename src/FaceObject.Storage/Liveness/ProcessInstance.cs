namespace FaceObject.Storage.Liveness;

/// <summary>
/// This process's identity in shared storage: <c>{machine}:{process id}:{random}</c>. The random part matters in
/// containers, where a restarted container keeps its host name and process id 1: without it a new process would
/// look like the dead one, and that one's jobs and task leases would never be recovered.
/// </summary>
public static class ProcessInstance
{
    public static string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
}

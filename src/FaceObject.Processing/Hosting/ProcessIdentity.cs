namespace FaceObject.Processing.Hosting;

/// <summary>How this process names itself to operators: in Hangfire server names, task leases and model reports; built only here.</summary>
internal static class ProcessIdentity
{
    /// <summary><c>{machine}:{process id}</c>; a container's machine name is its pod or container name.</summary>
    public static string Server { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The Hangfire server of one queue in this process.</summary>
    public static string HangfireServer(string queue) => $"{Server}:{queue}";
}

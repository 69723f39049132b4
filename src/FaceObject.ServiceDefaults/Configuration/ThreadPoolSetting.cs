using Microsoft.Extensions.Configuration;

namespace FaceObject.ServiceDefaults.Configuration;

/// <summary>
/// <c>ThreadPool:MinThreads</c>: the thread pool's minimum worker and I/O threads, a process-wide setting applied
/// once by the host defaults. Unset, it is 64 with <c>ConnectionStrings:Redis</c> and the runtime's default
/// otherwise; 0 always keeps the runtime's default.
/// </summary>
/// <remarks>
/// Hangfire's Redis storage makes blocking calls on pool threads. Under a burst of submits those threads wait on
/// Redis replies that themselves need a pool thread to complete, and the pool grows only slowly: requests then time
/// out. Starting with enough threads removes that stall (seen at 32 concurrent clients).
/// </remarks>
internal static class ThreadPoolSetting
{
    public const string Key = "ThreadPool:MinThreads";
    public const int RedisDefault = 64;
    private const int Largest = 32_767;

    public static void Apply(IConfiguration configuration)
    {
        var minimum = Read(configuration);
        if (minimum > 0)
        {
            ThreadPool.GetMinThreads(out var workerThreads, out var completionThreads);
            ThreadPool.SetMinThreads(Math.Max(workerThreads, minimum), Math.Max(completionThreads, minimum));
        }
    }

    internal static int Read(IConfiguration configuration)
    {
        var configured = configuration[Key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")) ? 0 : RedisDefault;
        }

        return int.TryParse(configured, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= Largest
            ? value
            : throw new HostConfigurationException($"{Key} must be a whole number between 0 and {Largest} (got '{configured}'); 0 keeps the runtime's default.");
    }
}

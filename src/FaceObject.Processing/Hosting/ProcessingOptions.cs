using System.ComponentModel.DataAnnotations;

namespace FaceObject.Processing.Hosting;

/// <summary><c>Worker:*</c>: how a processing host runs its Hangfire servers.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Worker";

    /// <summary>The model queues to serve; the worker host reads them from <c>--queues</c> too. Empty means every model queue.</summary>
    public IList<string> Queues { get; } = [];

    /// <summary>
    /// Hangfire worker threads per model queue; 0 means two per core. A job spends part of its time waiting on Redis
    /// (fetch, state changes, the task record, the payload), so with one thread per core the cores idle during those
    /// waits; two per core, each running inference on one intra-op thread, raised end-to-end throughput by 10-20%
    /// on a 2-core machine (docs/performance.md).
    /// </summary>
    [Range(0, 256)]
    public int WorkerCount { get; set; }

    /// <summary>On shutdown, how long a job in hand may take to finish before it is handed back to its queue.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a worker's claim on a task holds without renewal; it is renewed every third of this while the job
    /// runs. Another delivery of the same job waits this long before looking again, and a dead worker's task can be
    /// restarted this long after its last renewal.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a job that hit a transient fault (storage, timeouts), with growing delays.</summary>
    [Range(0, 20)]
    public int RetryAttempts { get; set; } = 5;

    public int EffectiveWorkerCount => WorkerCount > 0 ? WorkerCount : ThreadsPerCore * Environment.ProcessorCount;

    private const int ThreadsPerCore = 2;
}

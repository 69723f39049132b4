using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Processing.FaultTesting;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// Starts a job's task under a lease, so one task runs on one worker at a time however often the queue delivers
/// its job. Thread-safe; one <see cref="TaskRun"/> per job execution.
/// </summary>
internal sealed partial class TaskRunner(
    ITaskStore tasks,
    IJobScheduler scheduler,
    PayloadRetention retention,
    IOptions<ProcessingOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<TaskRunner> logger,
    FaultTestingOptions? faultTesting = null)
{
    /// <summary>
    /// Starts the task for this job execution. Null when there is nothing to do (the task ended or is gone: a
    /// duplicate delivery). Throws <see cref="TaskLeasedException"/> when another worker is processing it.
    /// </summary>
    /// <param name="taskId">The task of the job.</param>
    /// <param name="jobToken">Hangfire's token: cancelled on shutdown, and also when Hangfire thinks the job moved elsewhere.</param>
    public async Task<TaskRun?> StartAsync(string taskId, CancellationToken jobToken)
    {
        var lease = new TaskLease($"{ProcessIdentity.Server}:{Guid.NewGuid():N}", options.Value.LeaseDuration);
        var start = await tasks.TryStartAsync(taskId, clock.GetUtcNow(), lease, jobToken);
        if (start.Outcome == StartOutcome.Leased)
        {
            // A little jitter keeps several stale deliveries of one job from waking up together.
            var retryAfter = lease.Duration + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2000));
            LogLeased(taskId, retryAfter.TotalSeconds);
            throw new TaskLeasedException(taskId, retryAfter);
        }

        if (start is not { Outcome: StartOutcome.Started, Task: { } task })
        {
            LogSkipped(taskId, start.Outcome);
            return null;
        }

        if (task.QueueTimeMs is { } queueMs)
        {
            ProcessingMetrics.QueueWait.WithLabels(task.Model).Observe(queueMs / 1000);
        }

        LogStarted(taskId, task.Model, task.Kind, task.Attempts, lease.Owner);
        var run = new TaskRun(task, lease, tasks, scheduler, retention, clock, logger, lifetime.ApplicationStopping, jobToken, start.Payload);
        if (faultTesting?.PauseAt == JobPausePoint.InTask)
        {
            // The run keeps its lease alive meanwhile, as a long inference would; a stop ends the pause, and the
            // task then sees its cancelled token.
            LogPausingInTask(taskId, faultTesting.PauseFor.TotalSeconds);
            await Task.Delay(faultTesting.PauseFor, clock, run.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return run;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: not run ({Outcome})")]
    private partial void LogSkipped(string taskId, StartOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: processing on another worker under a live lease; this delivery steps back for {RetryAfterSeconds:F0} s")]
    private partial void LogLeased(string taskId, double retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault testing: task {TaskId} paused in its task for {Seconds} s")]
    private partial void LogPausingInTask(string taskId, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: started {Model} {Kind}, attempt {Attempt}, lease {Owner}")]
    private partial void LogStarted(string taskId, string model, TaskKind kind, int attempt, string owner);
}

using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.FaultTesting;

/// <summary>Holds each job at <see cref="FaultTestingOptions.PauseAt"/> and logs the line fault tests wait for.</summary>
internal sealed partial class JobPauseFilter(FaultTestingOptions options, ILogger<JobPauseFilter> logger) : IServerFilter
{
    public void OnPerforming(PerformingContext context)
    {
        if (options.PauseAt == JobPausePoint.BeforeTask)
        {
            Pause(context.BackgroundJob.Id, "before its task");
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (options.PauseAt == JobPausePoint.AfterTask && context.Exception is null)
        {
            Pause(context.BackgroundJob.Id, "after its task");
        }
    }

    private void Pause(string jobId, string where)
    {
        LogPausing(jobId, where, options.PauseFor.TotalSeconds);
        Thread.Sleep(options.PauseFor);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault testing: job {JobId} paused {Where} for {Seconds} s")]
    private partial void LogPausing(string jobId, string where, double seconds);
}

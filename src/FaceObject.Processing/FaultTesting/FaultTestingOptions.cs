using System.ComponentModel.DataAnnotations;

namespace FaceObject.Processing.FaultTesting;

/// <summary>Where a job of a model queue stops for <see cref="FaultTestingOptions.PauseFor"/>.</summary>
public enum JobPausePoint
{
    /// <summary>Never: the production setting.</summary>
    None,

    /// <summary>After the job was fetched and moved to Processing, before its task starts.</summary>
    BeforeTask,

    /// <summary>
    /// After the task started (it is processing under this worker's lease), before its input is read: the middle of
    /// a task, which a fast model otherwise leaves too soon to be killed in.
    /// </summary>
    InTask,

    /// <summary>After the task stored its result, before the job ends and is acknowledged.</summary>
    AfterTask,
}

/// <summary>
/// <c>FaultTesting:*</c>: makes a worker hold every job at a chosen point, so a test can kill it exactly there
/// (the windows between fetch, result and acknowledgement last a millisecond otherwise). Off unless set; every
/// pause is logged as a warning.
/// </summary>
public sealed class FaultTestingOptions
{
    public const string Section = "FaultTesting";

    public JobPausePoint PauseAt { get; set; }

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PauseFor { get; set; } = TimeSpan.FromMinutes(5);
}

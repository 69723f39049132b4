using System.Text.Json;
using FaceObject.Core.Results;

namespace FaceObject.Core.Pipelines;

/// <summary>
/// The state of one pipeline run, kept beside its task record (<see cref="IPipelineRunStore"/>): the definition as it
/// was when the run started (a later change of configuration does not change a run under way), the values its
/// templates may read, the step it is at, and each stage's state.
/// </summary>
public sealed record PipelineRun
{
    public required string TaskId { get; init; }

    public required string Pipeline { get; init; }

    public required PipelineDefinition Definition { get; init; }

    /// <summary>Template values given by whoever started the run: <c>session_id</c>, <c>camera_id</c>, <c>track_id</c>, <c>timestamp</c>.</summary>
    public IReadOnlyDictionary<string, string> Context { get; init; } = new Dictionary<string, string>();

    /// <summary>The step under way (<see cref="PipelinePlan"/>); -1 before the first.</summary>
    public int Step { get; init; } = -1;

    /// <summary>Every stage started so far, by stage key (<see cref="PipelinePlan.DetectStage"/>, <see cref="PipelinePlan.BlurStage"/>, <see cref="PipelinePlan.BranchStage"/>).</summary>
    public IReadOnlyDictionary<string, StageState> Stages { get; init; } = new Dictionary<string, StageState>();

    /// <summary>The actions done so far, by index in the definition, with what each returned (a created record's key).</summary>
    public IReadOnlyDictionary<int, ActionOutcome> Actions { get; init; } = new Dictionary<int, ActionOutcome>();
}

/// <summary>One model stage of a run: where it runs, how far it got, its result or its isolated error.</summary>
public sealed record StageState
{
    public required string Stage { get; init; }

    public required string Model { get; init; }

    public required string Queue { get; init; }

    public required int Step { get; init; }

    public StageStatus Status { get; init; } = StageStatus.Queued;

    /// <summary>For a branch with a <c>crop_class</c>: the detection it classifies.</summary>
    public Detection? Crop { get; init; }

    public string? JobId { get; init; }

    public DateTimeOffset? QueuedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The model's own time on the worker, decode and crop included.</summary>
    public double? DurationMs { get; init; }

    public JsonElement? Result { get; init; }

    public StageError? Error { get; init; }

    public bool HasEnded => Status is StageStatus.Succeeded or StageStatus.Failed or StageStatus.TimedOut or StageStatus.Skipped;
}

public enum StageStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Skipped,
}

/// <summary>Why a stage did not succeed; <see cref="Type"/> is <c>timeout</c>, <c>model_error</c>, <c>input_error</c> or <c>no_crop</c>.</summary>
public sealed record StageError(string Type, string Error)
{
    public const string Timeout = "timeout";
    public const string ModelError = "model_error";
    public const string InputError = "input_error";
    public const string NoCrop = "no_crop";
}

/// <summary>What an action did: its type, and the created record's key for <c>postgresql_create_record</c>.</summary>
public sealed record ActionOutcome(string Type, string? RecordId = null, int? RowsUpdated = null, string? Key = null);

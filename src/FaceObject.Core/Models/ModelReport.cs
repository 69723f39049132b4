namespace FaceObject.Core.Models;

/// <summary>
/// What one processing host (a worker, or the all-in-one host) has really loaded for one model: published by that
/// host while it serves the model's queue and read by <c>GET /api/models</c>, so the API reports facts instead of
/// guessing from configuration. Sizes are model-input pixels; thresholds 0..1.
/// </summary>
public sealed record ModelReport
{
    /// <summary>The model key (<c>Models:{key}</c>).</summary>
    public required string Model { get; init; }

    public required string Queue { get; init; }

    /// <summary>The reporting process, <c>{machine}:{process id}</c>; its Hangfire servers are named <c>{machine}:{process id}:{queue}</c>.</summary>
    public required string Server { get; init; }

    public required string Type { get; init; }

    /// <summary>The ONNX file's name (not its full path, which says nothing to clients about the model).</summary>
    public required string File { get; init; }

    public required int InputWidth { get; init; }

    public required int InputHeight { get; init; }

    /// <summary>Class names by class id, as the host resolved them (model metadata, labels file or built in).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    public required float ScoreThreshold { get; init; }

    /// <summary>Null for types that run no NMS (rtdetr).</summary>
    public float? NmsThreshold { get; init; }

    /// <summary>The execution provider the session really runs on: <c>cpu</c> or <c>cuda</c>.</summary>
    public required string Device { get; init; }

    public required int IntraOpThreads { get; init; }

    /// <summary>Hangfire worker threads taking jobs from the model's queue in this process.</summary>
    public required int WorkerThreads { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }

    public required DateTimeOffset ReportedAt { get; init; }
}

namespace FaceObject.Core.Tasks;

/// <summary>What the client asked for besides the model; stored with the task and read by the worker.</summary>
public sealed record DetectionOptions
{
    /// <summary>Overrides the model's score threshold for this task (0..1).</summary>
    public float? ScoreThreshold { get; init; }

    public bool Annotate { get; init; }

    public bool Blur { get; init; }

    /// <summary>Classes to blur with an object model (for a face model every detection is blurred).</summary>
    public IReadOnlyList<string>? BlurClasses { get; init; }

    public string? CallbackUrl { get; init; }

    /// <summary>Video only: frames sampled per second of video.</summary>
    public double? SampleFps { get; init; }

    /// <summary>Video only: stop after this many sampled frames.</summary>
    public int? MaxFrames { get; init; }
}

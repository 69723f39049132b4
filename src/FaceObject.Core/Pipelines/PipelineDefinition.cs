namespace FaceObject.Core.Pipelines;

/// <summary>
/// One pipeline (<c>Pipelines:{name}</c> or a JSON file of the pipelines folder), in the wire's snake_case: detect
/// objects, blur some classes, classify crops in branches, then run actions whose templates read the results.
/// </summary>
public sealed record PipelineDefinition
{
    public string? Description { get; init; }

    public DetectStage? Detect { get; init; }

    public BlurStage? Blur { get; init; }

    public IReadOnlyList<BranchStage> Branches { get; init; } = [];

    public IReadOnlyList<ActionStage> Actions { get; init; } = [];

    /// <summary>The stage names a definition may hold, for the message that names an unknown one.</summary>
    public static IReadOnlyList<string> StageNames { get; } = ["description", "detect", "blur", "branches", "actions"];
}

/// <summary>Detects objects with a detector; only <see cref="ExpectedClasses"/> (all when empty) go on to branches and actions.</summary>
public sealed record DetectStage
{
    public string Model { get; init; } = "";

    public float? MinConfidence { get; init; }

    public IReadOnlyList<string> ExpectedClasses { get; init; } = [];
}

/// <summary>Blurs the boxes of <see cref="Classes"/> found by a detector; the blurred image is the run's processed image.</summary>
public sealed record BlurStage
{
    public string Model { get; init; } = "";

    public IReadOnlyList<string> Classes { get; init; } = [];
}

/// <summary>Crops the best detection of <see cref="CropClass"/> (the whole image when null) and classifies it.</summary>
public sealed record BranchStage
{
    public string Id { get; init; } = "";

    public string Model { get; init; } = "";

    public string? CropClass { get; init; }

    public float? MinConfidence { get; init; }

    /// <summary>True: runs beside the other parallel branches; false: after them, one at a time.</summary>
    public bool Parallel { get; init; } = true;

    public double TimeoutSeconds { get; init; } = 30;

    /// <summary>The run fails when no required branch succeeded; an optional branch's failure is only recorded.</summary>
    public bool Required { get; init; }
}

/// <summary>
/// One action: <c>postgresql_create_record</c>, <c>postgresql_update_combined</c>, <c>redis_save_image</c> or
/// <c>publish</c>; each uses the fields its type needs. String values may hold templates (<c>{branch_id.field}</c>).
/// </summary>
public sealed record ActionStage
{
    public string Type { get; init; } = "";

    public string? Table { get; init; }

    public string? KeyField { get; init; }

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> WaitForBranches { get; init; } = [];

    public string? Region { get; init; }

    public string? Key { get; init; }

    public int ExpireSeconds { get; init; } = 3600;

    public string? Channel { get; init; }

    public IReadOnlyDictionary<string, string> Message { get; init; } = new Dictionary<string, string>();
}

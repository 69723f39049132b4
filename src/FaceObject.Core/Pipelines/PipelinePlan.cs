namespace FaceObject.Core.Pipelines;

/// <summary>
/// The order a definition's model stages run in, as steps; the stages of one step run at the same time, each as a
/// job on its model's queue, and the next step starts when they have all ended. Step 0 is <c>detect</c> and
/// <c>blur</c> (both read the whole image), then one step with every parallel branch, then each sequential branch
/// (<c>"parallel": false</c>) in its own step, in definition order. The actions follow the last step.
/// </summary>
public static class PipelinePlan
{
    public const string DetectStage = "detect";
    public const string BlurStage = "blur";
    private const string BranchPrefix = "branch:";

    /// <summary>The stage key of a branch (branch ids may be any name, <c>detect</c> included).</summary>
    public static string BranchStage(string branchId) => BranchPrefix + branchId;

    /// <summary>The branch id of a branch's stage key, or null for <c>detect</c> and <c>blur</c>.</summary>
    public static string? BranchIdOf(string stage) =>
        stage.StartsWith(BranchPrefix, StringComparison.Ordinal) ? stage[BranchPrefix.Length..] : null;

    public static IReadOnlyList<IReadOnlyList<string>> Steps(PipelineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var steps = new List<IReadOnlyList<string>>();
        var whole = new List<string>();
        if (definition.Detect is not null)
        {
            whole.Add(DetectStage);
        }

        if (definition.Blur is not null)
        {
            whole.Add(BlurStage);
        }

        if (whole.Count > 0)
        {
            steps.Add(whole);
        }

        var parallel = definition.Branches.Where(b => b.Parallel).Select(b => BranchStage(b.Id)).ToList();
        if (parallel.Count > 0)
        {
            steps.Add(parallel);
        }

        steps.AddRange(definition.Branches.Where(b => !b.Parallel).Select(b => (IReadOnlyList<string>)[BranchStage(b.Id)]));
        return steps;
    }

    /// <summary>The model a stage runs.</summary>
    public static string ModelOf(PipelineDefinition definition, string stage)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return stage switch
        {
            DetectStage => definition.Detect?.Model,
            BlurStage => definition.Blur?.Model,
            _ => Branch(definition, stage)?.Model,
        } ?? throw new ArgumentException($"Pipeline stage '{stage}' is not in the definition.", nameof(stage));
    }

    /// <summary>The branch of a branch stage key, or null.</summary>
    public static BranchStage? Branch(PipelineDefinition definition, string stage)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return BranchIdOf(stage) is { } id ? definition.Branches.FirstOrDefault(b => b.Id == id) : null;
    }
}

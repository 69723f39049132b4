using System.Text.Json;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Tasks;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// The result document of a pipeline run (docs/pipelines.md): the detections the run kept, seed 001's
/// <c>detection_metadata</c> and <c>blur_metadata</c>, each branch's result or isolated error, and what the actions did.
/// </summary>
internal static class PipelineResult
{
    public static Dictionary<string, object?> Build(TaskRecord task, PipelineRun run, DateTimeOffset processedAt, double totalMs)
    {
        var detect = run.Stages.GetValueOrDefault(PipelinePlan.DetectStage);
        var blur = run.Stages.GetValueOrDefault(PipelinePlan.BlurStage);
        var whole = detect?.Result ?? blur?.Result;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["task_id"] = task.TaskId,
            ["pipeline"] = run.Pipeline,
            ["image"] = whole is { } w && w.TryGetProperty("image", out var image) ? image : null,
            ["detections"] = detect?.Result is { } d && d.TryGetProperty("detections", out var list) ? list : Array.Empty<object>(),
            ["detection_metadata"] = Metadata(detect),
            ["blur_metadata"] = Metadata(blur),
            ["branches"] = run.Definition.Branches.ToDictionary(b => b.Id, b => Branch(run.Stages.GetValueOrDefault(PipelinePlan.BranchStage(b.Id))), StringComparer.Ordinal),
            ["actions"] = run.Definition.Actions.Select((a, i) => (object?)run.Actions.GetValueOrDefault(i)).ToList(),
            ["processed_at"] = processedAt,
            ["processing_time_ms"] = totalMs,
        };
    }

    /// <summary>A whole-image stage's result without its detections list (already at the top), with its timing.</summary>
    private static Dictionary<string, object?>? Metadata(StageState? stage)
    {
        if (stage?.Result is not { } result)
        {
            return null;
        }

        var metadata = result.EnumerateObject().Where(p => p.Name != "detections")
            .ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
        metadata["duration_ms"] = stage.DurationMs;
        return metadata;
    }

    private static Dictionary<string, object?> Branch(StageState? stage)
    {
        var branch = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = stage?.Status ?? StageStatus.Skipped,
            ["model"] = stage?.Model,
        };
        if (stage?.Result is { } result)
        {
            foreach (var property in result.EnumerateObject().Where(p => p.Name != "model"))
            {
                branch[property.Name] = property.Value.Clone();
            }
        }

        if (stage?.Error is { } error)
        {
            branch["error"] = error.Error;
            branch["type"] = error.Type;
        }

        branch["crop"] = stage?.Crop;
        branch["duration_ms"] = stage?.DurationMs;
        branch["queue_wait_ms"] = stage is { QueuedAt: { } queued, StartedAt: { } started } ? Math.Round((started - queued).TotalMilliseconds, 2) : null;
        return branch;
    }
}

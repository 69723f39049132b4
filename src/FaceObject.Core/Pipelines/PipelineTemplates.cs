using System.Globalization;
using System.Text.Json;

namespace FaceObject.Core.Pipelines;

/// <summary>
/// Fills the <c>{name}</c> templates of actions from a run: its context, the detection it is about, and each
/// branch's result. A name with no value (a branch that failed) becomes empty, never the raw template.
/// </summary>
public static class PipelineTemplates
{
    /// <summary>Replaces every <c>{name}</c> in <paramref name="template"/> with its value.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var text = template;
        foreach (var name in PipelineValidator.TemplateNames(template).Distinct(StringComparer.Ordinal))
        {
            text = text.Replace("{" + name + "}", values.GetValueOrDefault(name, ""), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// The values a run's templates may read: the context (<c>session_id</c> defaults to the task id, <c>timestamp</c>
    /// to the run's start), <c>task_id</c>, <c>pipeline</c>, <c>record_id</c> once a record was created,
    /// <c>detection.*</c> for the best detection of an expected class, and for each branch that succeeded
    /// <c>{id}.class_name</c>, <c>{id}.confidence</c> and <c>{id}.{head}</c> (each head's best class, or its value).
    /// </summary>
    public static Dictionary<string, string> Values(PipelineRun run, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(run);
        var values = new Dictionary<string, string>(run.Context, StringComparer.Ordinal)
        {
            ["task_id"] = run.TaskId,
            ["pipeline"] = run.Pipeline,
        };
        values.TryAdd("session_id", run.TaskId);
        values.TryAdd("timestamp", startedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        if (run.Actions.Values.Select(a => a.RecordId).LastOrDefault(id => id is not null) is { } recordId)
        {
            values["record_id"] = recordId;
        }

        if (BestDetection(run) is { } best)
        {
            values["detection.class_name"] = best.ClassName;
            values["detection.confidence"] = best.Confidence.ToString("0.####", CultureInfo.InvariantCulture);
            if (best.TrackId is { } track)
            {
                values["detection.track_id"] = track.ToString(CultureInfo.InvariantCulture);
            }
        }

        foreach (var stage in run.Stages.Values.Where(s => s.Status == StageStatus.Succeeded && s.Result is not null))
        {
            if (PipelinePlan.BranchIdOf(stage.Stage) is not { } id)
            {
                continue;
            }

            foreach (var property in stage.Result!.Value.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    values[$"{id}.{property.Name}"] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
        }

        return values;
    }

    /// <summary>The detection a run is about: the best of those its detect stage kept.</summary>
    public static Results.Detection? BestDetection(PipelineRun run) => Detections(run).MaxBy(d => d.Confidence);

    /// <summary>The detections the run's detect stage kept (its expected classes); empty before it has succeeded.</summary>
    public static List<Results.Detection> Detections(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Stages.TryGetValue(PipelinePlan.DetectStage, out var detect) && detect.Result is { } result
            && result.TryGetProperty("detections", out var list)
            ? list.Deserialize<List<Results.Detection>>(FaceObjectJson.Options) ?? []
            : [];
    }
}

using System.Text.RegularExpressions;
using FaceObject.Core.Models;

namespace FaceObject.Core.Pipelines;

/// <summary>
/// Checks one parsed definition against the configured models: each problem is "path: what is wrong; what is
/// accepted". Table and column names are checked against the database later, when the actions' store starts.
/// </summary>
public static partial class PipelineValidator
{
    public const string CreateRecord = "postgresql_create_record";
    public const string UpdateCombined = "postgresql_update_combined";
    public const string SaveImage = "redis_save_image";
    public const string Publish = "publish";

    public static IReadOnlyList<string> ActionTypes { get; } = [CreateRecord, UpdateCombined, SaveImage, Publish];

    /// <summary>Template names that need no branch: the run's context and the detection that started it.</summary>
    public static IReadOnlyList<string> ContextNames { get; } =
        ["session_id", "camera_id", "timestamp", "track_id", "task_id", "pipeline", "record_id",
         "detection.class_name", "detection.confidence", "detection.track_id"];

    public static IReadOnlyList<string> Check(PipelineDefinition definition, ModelCatalog models)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(models);
        var problems = new List<string>();
        var detectors = Listed(models.DetectorKeys);
        var classifiers = Listed(models.Keys.Where(models.IsClassifier));
        if (definition is { Detect: null, Blur: null, Branches.Count: 0 })
        {
            problems.Add(": no model stage; give detect, blur or branches.");
        }

        if (definition.Detect is { } detect)
        {
            CheckModel("detect.model", detect.Model, isClassifier: false);
            CheckConfidence("detect.min_confidence", detect.MinConfidence);
        }

        if (definition.Blur is { } blur)
        {
            CheckModel("blur.model", blur.Model, isClassifier: false);
            if (blur.Classes.Count == 0)
            {
                problems.Add("blur.classes: empty; name the classes to blur, e.g. [\"face\"].");
            }
        }

        var branchIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Branches.Count; i++)
        {
            var branch = definition.Branches[i];
            var path = $"branches[{i}]";
            if (!ModelCatalog.IsValidName(branch.Id))
            {
                problems.Add($"{path}.id: '{branch.Id}' is not valid; use lower-case letters, digits, '-' and '_'.");
            }
            else if (!branchIds.Add(branch.Id))
            {
                problems.Add($"{path}.id: '{branch.Id}' is used by another branch; ids are unique.");
            }

            CheckModel($"{path}.model", branch.Model, isClassifier: true);
            CheckConfidence($"{path}.min_confidence", branch.MinConfidence);
            if (branch.TimeoutSeconds is not (> 0 and <= 3600))
            {
                problems.Add($"{path}.timeout_seconds: {branch.TimeoutSeconds} is not between 0 (exclusive) and 3600.");
            }

            if (branch.CropClass is not null && definition.Detect is null)
            {
                problems.Add($"{path}.crop_class: cropping needs a detect stage to find '{branch.CropClass}'.");
            }
        }

        var ids = Listed(branchIds.Order(StringComparer.Ordinal));
        for (var i = 0; i < definition.Actions.Count; i++)
        {
            CheckAction($"actions[{i}]", definition.Actions[i]);
        }

        return problems;

        void CheckModel(string path, string key, bool isClassifier)
        {
            var accepted = isClassifier ? $"classifiers: {classifiers}" : $"detectors: {detectors}";
            if (!models.TryGet(key, out _))
            {
                problems.Add($"{path}: unknown model '{key}'; {accepted}.");
            }
            else if (models.IsClassifier(key) != isClassifier)
            {
                problems.Add($"{path}: model '{key}' is {(isClassifier ? "a detector" : "a classifier")}; {accepted}.");
            }
        }

        void CheckConfidence(string path, float? value)
        {
            if (value is not null and not (>= 0 and <= 1))
            {
                problems.Add($"{path}: {value} is not between 0 and 1.");
            }
        }

        void CheckAction(string path, ActionStage action)
        {
            if (!ActionTypes.Contains(action.Type))
            {
                problems.Add($"{path}.type: unknown action '{action.Type}'; accepted: {string.Join(", ", ActionTypes)}.");
                return;
            }

            if (action.Type is CreateRecord or UpdateCombined)
            {
                Require(action.Table, "table", "a table name");
                if (action.Fields.Count == 0)
                {
                    problems.Add($"{path}.fields: empty; map column names to values or templates.");
                }
            }

            if (action.Type == UpdateCombined)
            {
                Require(action.KeyField, "key_field", "the column holding the record's key");
            }

            if (action.Type == SaveImage)
            {
                Require(action.Region, "region", "a detected class to crop");
                Require(action.Key, "key", "a Redis key template, e.g. \"crops:{session_id}\"");
                if (action.ExpireSeconds <= 0)
                {
                    problems.Add($"{path}.expire_seconds: {action.ExpireSeconds} is not above 0.");
                }
            }

            if (action.Type == Publish && action.Message.Count == 0)
            {
                problems.Add($"{path}.message: empty; map message fields to values or templates.");
            }

            foreach (var waited in action.WaitForBranches.Where(b => !branchIds.Contains(b)))
            {
                problems.Add($"{path}.wait_for_branches: no branch '{waited}'; branches: {ids}.");
            }

            CheckTemplates($"{path}.key", action.Key);
            foreach (var (name, value) in action.Fields)
            {
                CheckTemplates($"{path}.fields.{name}", value);
            }

            foreach (var (name, value) in action.Message)
            {
                CheckTemplates($"{path}.message.{name}", value);
            }

            void Require(string? value, string field, string what)
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{path}.{field}: missing; {action.Type} needs {what}.");
                }
            }
        }

        void CheckTemplates(string path, string? value)
        {
            foreach (var name in TemplateNames(value))
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                var known = ContextNames.Contains(name) || (dot > 0 && branchIds.Contains(name[..dot]));
                if (!known)
                {
                    problems.Add(dot > 0 && !name.StartsWith("detection.", StringComparison.Ordinal)
                        ? $"{path}: template '{{{name}}}' names no branch '{name[..dot]}'; branches: {ids}."
                        : $"{path}: template '{{{name}}}' is not known; accepted: {string.Join(", ", ContextNames.Select(c => $"{{{c}}}"))} and {{branch_id.field}}.");
                }
            }
        }
    }

    private static string Listed(IEnumerable<string> names) => string.Join(", ", names) is { Length: > 0 } list ? list : "none configured";

    /// <summary>The names inside the braces of a template, e.g. <c>color.class_name</c> in <c>"{color.class_name}"</c>.</summary>
    public static IEnumerable<string> TemplateNames(string? template) =>
        template is null ? [] : Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([A-Za-z0-9_.\-]+)\}")]
    private static partial Regex Placeholder();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.Core.Models;

namespace FaceObject.Core.Pipelines;

/// <summary>The valid pipelines by name; immutable after start. Built by <see cref="Load"/>, which checks everything at once.</summary>
public sealed class PipelineCatalog
{
    private static readonly JsonSerializerOptions StrictJson = CreateStrictJson();

    private readonly Dictionary<string, PipelineDefinition> _pipelines;

    private PipelineCatalog(Dictionary<string, PipelineDefinition> pipelines) => _pipelines = pipelines;

    public IEnumerable<string> Names => _pipelines.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out PipelineDefinition definition) => _pipelines.TryGetValue(name, out definition!);

    /// <summary>Parses and checks every source against the configured models.</summary>
    /// <exception cref="PipelineDefinitionException">One line per error, each naming the pipeline, its origin, the path and what is accepted.</exception>
    public static PipelineCatalog Load(IEnumerable<PipelineSource> sources, ModelCatalog models)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(models);
        var errors = new List<string>();
        var pipelines = new Dictionary<string, PipelineDefinition>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var prefix = $"Pipeline '{source.Name}' ({source.Origin})";
            if (!ModelCatalog.IsValidName(source.Name))
            {
                errors.Add($"{prefix}: the name is not valid; use lower-case letters, digits, '-' and '_'.");
                continue;
            }

            if (pipelines.ContainsKey(source.Name))
            {
                errors.Add($"{prefix}: another definition has the same name; names are unique across configuration and the folder.");
                continue;
            }

            if (Parse(source, prefix, errors) is { } definition)
            {
                var problems = PipelineValidator.Check(definition, models);
                errors.AddRange(problems.Select(p => $"{prefix} {p}"));
                if (problems.Count == 0)
                {
                    pipelines.Add(source.Name, definition);
                }
            }
        }

        return errors.Count > 0 ? throw new PipelineDefinitionException(errors) : new PipelineCatalog(pipelines);
    }

    private static PipelineDefinition? Parse(PipelineSource source, string prefix, List<string> errors)
    {
        try
        {
            if (JsonNode.Parse(source.Json) is not JsonObject root)
            {
                errors.Add($"{prefix}: a definition is a JSON object with the stages {string.Join(", ", PipelineDefinition.StageNames)}.");
                return null;
            }

            var unknown = root.Select(p => p.Key).Where(k => !PipelineDefinition.StageNames.Contains(k)).ToList();
            if (unknown.Count > 0)
            {
                errors.Add($"{prefix}: unknown stage {string.Join(", ", unknown.Select(u => $"'{u}'"))}; accepted: {string.Join(", ", PipelineDefinition.StageNames)}.");
                return null;
            }

            return root.Deserialize<PipelineDefinition>(StrictJson);
        }
        catch (JsonException e)
        {
            // The serializer's message names the JSON path ($.branches[0].modle) and the member it could not map.
            errors.Add($"{prefix}: {e.Message}");
            return null;
        }
    }

    private static JsonSerializerOptions CreateStrictJson()
    {
        var options = new JsonSerializerOptions(FaceObjectJson.Options)
        {
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using Microsoft.Extensions.Configuration;

namespace FaceObject.ServiceDefaults.Configuration;

/// <summary>
/// The <c>Pipelines</c> section (<c>Pipelines:{name}</c>, and <c>Pipelines:Folder</c>, a folder of <c>{name}.json</c>
/// files) as a checked <see cref="PipelineCatalog"/>, with the <see cref="BuiltInPipelines"/> whose models are configured.
/// Read at start by every host, so a bad definition stops it.
/// </summary>
internal static class PipelineCatalogReader
{
    public const string Section = "Pipelines";
    public const string FolderKey = "Folder";

    /// <exception cref="HostConfigurationException">One line per error in the definitions.</exception>
    public static PipelineCatalog Read(IConfiguration configuration, ModelCatalog models)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        try
        {
            var sources = section.GetChildren()
                .Where(c => c.Key != FolderKey)
                .Select(c => new PipelineSource(c.Key, c.Path, ToJson(c)?.ToJsonString() ?? "null"))
                .ToList();
            if (section[FolderKey] is { Length: > 0 } folder)
            {
                sources.AddRange(PipelineSource.FromFolder(folder));
            }

            sources.AddRange(BuiltInPipelines.For(models).Where(b => !sources.Any(s => s.Name == b.Name)));

            var catalog = PipelineCatalog.Load(sources, models);
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")) && RedisActions(catalog).ToList() is { Count: > 0 } needRedis)
            {
                throw new PipelineDefinitionException(needRedis);
            }

            return catalog;
        }
        catch (PipelineDefinitionException e)
        {
            throw new HostConfigurationException(e.Message, e);
        }
    }

    /// <summary>The actions that write to Redis, which an all-in-one host without ConnectionStrings:Redis does not have.</summary>
    private static IEnumerable<string> RedisActions(PipelineCatalog catalog)
    {
        foreach (var name in catalog.Names)
        {
            catalog.TryGet(name, out var definition);
            for (var i = 0; i < definition.Actions.Count; i++)
            {
                if (definition.Actions[i].Type is PipelineValidator.SaveImage or PipelineValidator.Publish)
                {
                    yield return $"Pipeline '{name}' actions[{i}].type: {definition.Actions[i].Type} writes to Redis, and ConnectionStrings:Redis is not set; set it, or remove the action.";
                }
            }
        }
    }

    /// <summary>
    /// Configuration keeps every value as a string and lists as keys 0, 1, ...: a section whose keys are 0..n-1
    /// becomes an array, <c>true</c>/<c>false</c> become booleans, and numbers stay strings (the definitions' JSON
    /// reads numbers from strings).
    /// </summary>
    internal static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value switch
            {
                null => null,
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                var text => JsonValue.Create(text),
            };
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            return new JsonArray([.. children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)).Select(ToJson)]);
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = ToJson(child);
        }

        return result;
    }
}

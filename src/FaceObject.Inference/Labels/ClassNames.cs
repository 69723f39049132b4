using System.Text.RegularExpressions;
using FaceObject.Core.Models;

namespace FaceObject.Inference.Labels;

/// <summary>
/// Finds the class names of a model, in this order: the model's own ONNX metadata <c>names</c> (Ultralytics exports
/// write it as <c>{0: 'person', 1: 'bicycle'}</c>), since names that travel with the weights cannot drift from
/// them; the <see cref="ModelOptions.Labels"/> file (one name a line, index = class id, e.g. coco.names); the names
/// built into the type (UltraFace: <c>face</c>).
/// </summary>
internal static partial class ClassNames
{
    public const string MetadataKey = "names";

    /// <returns>The names by class id and where they came from (for messages).</returns>
    /// <exception cref="FileNotFoundException">The configured labels file does not exist.</exception>
    /// <exception cref="InvalidOperationException">No source gives names.</exception>
    public static (IReadOnlyList<string> Names, string Source) Resolve(
        ModelOptions options,
        IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<string>? builtIn)
    {
        if (metadata.TryGetValue(MetadataKey, out var names) && ParseMetadata(names) is { } parsed)
        {
            return (parsed, $"ONNX metadata '{MetadataKey}'");
        }

        if (!string.IsNullOrWhiteSpace(options.Labels))
        {
            var path = ModelPathResolver.Resolve(options.Labels);
            return File.Exists(path)
                ? (ReadLabelsFile(path), $"labels file '{path}'")
                : throw new FileNotFoundException($"labels file '{path}' does not exist", path);
        }

        return builtIn is not null
            ? (builtIn, "the type's built-in class names")
            : throw new InvalidOperationException($"no class names: set Labels to a names file (one a line), or use a model with '{MetadataKey}' metadata");
    }

    /// <summary>One name a line; surrounding blank lines and whitespace are ignored, inner blank lines are kept as ids.</summary>
    public static IReadOnlyList<string> ReadLabelsFile(string path)
    {
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>Parses a Python dict literal of contiguous ids from 0; null when it is not one.</summary>
    public static IReadOnlyList<string>? ParseMetadata(string value)
    {
        var names = new List<string>();
        foreach (Match match in MetadataEntry().Matches(value))
        {
            if (!int.TryParse(match.Groups["id"].ValueSpan, out var id) || id != names.Count)
            {
                return null;
            }

            names.Add(match.Groups["single"].Success ? match.Groups["single"].Value : match.Groups["double"].Value);
        }

        return names.Count > 0 ? names : null;
    }

    [GeneratedRegex("""(?<id>\d+)\s*:\s*(?:'(?<single>[^']*)'|"(?<double>[^"]*)")""")]
    private static partial Regex MetadataEntry();
}

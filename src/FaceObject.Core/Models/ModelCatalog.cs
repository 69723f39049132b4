using System.Text.RegularExpressions;

namespace FaceObject.Core.Models;

/// <summary>The configured models by key (<c>Models:{key}</c>); immutable after start.</summary>
public sealed partial class ModelCatalog
{
    private readonly Dictionary<string, ModelOptions> _models;

    public ModelCatalog(IReadOnlyDictionary<string, ModelOptions> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = new Dictionary<string, ModelOptions>(models, StringComparer.Ordinal);
        foreach (var (key, options) in _models)
        {
            if (!IsValidName(key))
            {
                throw new ArgumentException($"Model key '{key}' is not valid: use lower-case letters, digits, '-' and '_' (it is also a queue name).", nameof(models));
            }

            if (options.Queue is { } queue && !IsValidName(queue))
            {
                throw new ArgumentException($"Queue '{queue}' of model '{key}' is not valid: use lower-case letters, digits, '-' and '_'.", nameof(models));
            }
        }
    }

    public IEnumerable<string> Keys => _models.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string key, out ModelOptions options) => _models.TryGetValue(key, out options!);

    public ModelOptions Get(string key) => _models.TryGetValue(key, out var options)
        ? options
        : throw new KeyNotFoundException($"No model '{key}' is configured. Configured: {string.Join(", ", Keys)}.");

    /// <summary>The model type of image classifiers (crop-and-classify branches); every other type is a detector.</summary>
    public const string ClassifierType = "classifier";

    /// <summary>True when the key names a configured <c>classifier</c>, which classifies images rather than detecting objects.</summary>
    public bool IsClassifier(string key) =>
        _models.TryGetValue(key, out var options) && string.Equals(options.Type, ClassifierType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The keys of the detectors, the models an image, video or stream can be detected with.</summary>
    public IEnumerable<string> DetectorKeys => Keys.Where(k => !IsClassifier(k));

    /// <summary>Why a configured <paramref name="key"/> cannot detect (it is a classifier), or null when it can.</summary>
    public string? NotADetector(string key) => IsClassifier(key)
        ? $"Model '{key}' is a classifier: it classifies the crops of a pipeline's branches and cannot detect. Detectors: {string.Join(", ", DetectorKeys)}."
        : null;

    public string QueueOf(string key) => Get(key).Queue ?? key;

    /// <summary>Every queue that some model uses, in key order, without duplicates.</summary>
    public IReadOnlyList<string> Queues => Keys.Select(QueueOf).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The model keys served by the given queues.</summary>
    public IReadOnlyList<string> KeysForQueues(IEnumerable<string> queues)
    {
        var set = queues.ToHashSet(StringComparer.Ordinal);
        return Keys.Where(k => set.Contains(QueueOf(k))).ToList();
    }

    /// <summary>Hangfire accepts queue names of lower-case letters, digits, underscores and dashes.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}

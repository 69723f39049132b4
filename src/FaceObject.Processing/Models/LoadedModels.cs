using FaceObject.Inference;
using FaceObject.Inference.Classification;

namespace FaceObject.Processing.Models;

/// <summary>
/// The detectors and classifiers this process serves, one per model key, each with one shared session. Filled once at start by
/// <see cref="ModelLoader"/> before any Hangfire server fetches a job; read-only afterwards, so lock-free.
/// </summary>
public sealed class LoadedModels : IDisposable
{
    private readonly Dictionary<string, IObjectDetector> _detectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IImageClassifier> _classifiers = new(StringComparer.Ordinal);

    /// <summary>The loaded detectors (classifiers are in <see cref="Classifiers"/>).</summary>
    public IReadOnlyCollection<IObjectDetector> All => _detectors.Values;

    public IReadOnlyCollection<IImageClassifier> Classifiers => _classifiers.Values;

    public bool IsLoaded { get; private set; }

    public IObjectDetector Get(string key) => _detectors.TryGetValue(key, out var detector)
        ? detector
        : throw new InvalidOperationException($"Model '{key}' is not loaded in this process; it serves: {string.Join(", ", _detectors.Keys)}.");

    public IImageClassifier GetClassifier(string key) => _classifiers.TryGetValue(key, out var classifier)
        ? classifier
        : throw new InvalidOperationException($"Classifier '{key}' is not loaded in this process; it serves: {string.Join(", ", _classifiers.Keys)}.");

    internal void Add(IObjectDetector detector) => _detectors.Add(detector.Key, detector);

    internal void Add(IImageClassifier classifier) => _classifiers.Add(classifier.Key, classifier);

    internal void MarkLoaded() => IsLoaded = true;

    public void Dispose()
    {
        foreach (var detector in _detectors.Values)
        {
            detector.Dispose();
        }

        _detectors.Clear();
        foreach (var classifier in _classifiers.Values)
        {
            classifier.Dispose();
        }

        _classifiers.Clear();
    }
}

using FaceObject.Inference;

namespace FaceObject.Processing.Models;

/// <summary>
/// The detectors this process serves, one per model key, each with one shared session. Filled once at start by
/// <see cref="ModelLoader"/> before any Hangfire server fetches a job; read-only afterwards, so lock-free.
/// </summary>
public sealed class LoadedModels : IDisposable
{
    private readonly Dictionary<string, IObjectDetector> _detectors = new(StringComparer.Ordinal);

    public IReadOnlyCollection<IObjectDetector> All => _detectors.Values;

    public bool IsLoaded { get; private set; }

    public IObjectDetector Get(string key) => _detectors.TryGetValue(key, out var detector)
        ? detector
        : throw new InvalidOperationException($"Model '{key}' is not loaded in this process; it serves: {string.Join(", ", _detectors.Keys)}.");

    internal void Add(IObjectDetector detector) => _detectors.Add(detector.Key, detector);

    internal void MarkLoaded() => IsLoaded = true;

    public void Dispose()
    {
        foreach (var detector in _detectors.Values)
        {
            detector.Dispose();
        }

        _detectors.Clear();
    }
}

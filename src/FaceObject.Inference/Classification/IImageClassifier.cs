using FaceObject.Core.Results;
using OpenCvSharp;

namespace FaceObject.Inference.Classification;

/// <summary>
/// One loaded image classifier (type <c>classifier</c>): an image in, class scores per output head out. Thread-safe
/// like <see cref="IObjectDetector"/>: one shared session, a rented input buffer per call. Dispose only when idle.
/// </summary>
public interface IImageClassifier : IDisposable
{
    /// <summary>The model key from configuration (<c>Models:{key}</c>).</summary>
    string Key { get; }

    ClassifierInfo Info { get; }

    /// <summary>Classifies a whole image; the caller crops first (a detection's box) when it wants a region.</summary>
    /// <param name="image">8-bit BGR (<c>CV_8UC3</c>); stretched to the model's input size; only read, never kept.</param>
    /// <param name="topK">Overrides <see cref="ClassifierInfo.TopK"/> for this call, at least 1.</param>
    /// <returns>One result per head, in the model's output order.</returns>
    IReadOnlyList<HeadResult> Classify(Mat image, int? topK = null);

    /// <summary>Runs one inference on a blank image so the first real request does not pay for lazy initialisation.</summary>
    void WarmUp();
}

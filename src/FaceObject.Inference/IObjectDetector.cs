using FaceObject.Core.Results;
using OpenCvSharp;

namespace FaceObject.Inference;

/// <summary>
/// One loaded model. Thread-safe: every call may run concurrently on one shared ONNX Runtime session with no lock;
/// each call rents its own input buffer. Dispose only when no call is running.
/// </summary>
public interface IObjectDetector : IDisposable
{
    /// <summary>The model key from configuration (<c>Models:{key}</c>), e.g. <c>face</c>.</summary>
    string Key { get; }

    DetectorInfo Info { get; }

    /// <summary>Detects objects in one image.</summary>
    /// <param name="image">8-bit BGR (<c>CV_8UC3</c>) in original pixels; only read, never kept.</param>
    /// <param name="scoreThreshold">Overrides <see cref="DetectorInfo.ScoreThreshold"/> for this call, 0 to 1.</param>
    /// <returns>Boxes in original-image pixels, clipped to the image, after class-aware NMS, highest confidence first.</returns>
    IReadOnlyList<Detection> Detect(Mat image, float? scoreThreshold = null);

    /// <summary>Runs one inference on a blank image so the first real request does not pay for lazy initialisation.</summary>
    void WarmUp();
}

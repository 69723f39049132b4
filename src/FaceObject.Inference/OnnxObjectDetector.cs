using FaceObject.Core.Results;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using FaceObject.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace FaceObject.Inference;

/// <summary>
/// The one detector implementation: shared session, the type's decoder, pooled input buffers, shared NMS.
/// Thread-safe without locks: the session's <c>Run</c> is thread-safe, everything else per call is rented or local.
/// </summary>
internal sealed class OnnxObjectDetector : IObjectDetector
{
    private readonly LoadedSession _session;
    private readonly IModelDecoder _decoder;
    private readonly TensorBufferPool _buffers;

    // Never changed after construction, so sharing one across concurrent Run calls is safe.
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape;
    private int _disposed;

    public OnnxObjectDetector(DetectorInfo info, LoadedSession session, IModelDecoder decoder)
    {
        Info = info;
        _session = session;
        _decoder = decoder;
        _inputNames = [decoder.Input.Name];
        _outputNames = [.. decoder.OutputNames];
        _inputShape = [1, 3, decoder.Input.Height, decoder.Input.Width];

        // A worker runs a few jobs at once; more concurrent callers than this still work, with a fresh buffer each.
        _buffers = new TensorBufferPool(decoder.Input.TensorLength, maxRetained: Math.Max(4, Environment.ProcessorCount * 2));
    }

    public string Key => Info.Key;

    public DetectorInfo Info { get; }

    public IReadOnlyList<Detection> Detect(Mat image, float? scoreThreshold = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image (CV_8UC3); got {image.Type()} {image.Width}x{image.Height}.", nameof(image));
        }

        var threshold = scoreThreshold ?? Info.ScoreThreshold;
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), scoreThreshold, "The score threshold must be between 0 and 1.");
        }

        var candidates = new List<Candidate>();
        using (var buffer = _buffers.Rent())
        {
            var transform = TensorWriter.Write(image, _decoder.Input, buffer);

            // The OrtValue reads the pooled buffer in place; it is disposed before the buffer goes back to the pool.
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.Memory, _inputShape);
            using var outputs = _session.Session.Run(_runOptions, _inputNames, [input], _outputNames);
            _decoder.Decode(outputs, transform, threshold, candidates);
        }

        var kept = Info.NmsThreshold is { } iou ? NonMaxSuppression.Apply(candidates, iou) : NonMaxSuppression.Rank(candidates);
        var detections = new Detection[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            var (classId, score, box) = kept[i];
            // Four decimals are all a confidence carries; more is float noise in every result document.
            detections[i] = new Detection(classId, Info.ClassNames[classId], MathF.Round(score, 4), box);
        }

        return detections;
    }

    public void WarmUp()
    {
        using var blank = new Mat(Info.InputHeight, Info.InputWidth, MatType.CV_8UC3, Scalar.All(0));
        Detect(blank);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}

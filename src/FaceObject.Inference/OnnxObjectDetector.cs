using System.Buffers;
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
    private readonly DetectionBatcher? _batcher;
    private int _disposed;

    /// <param name="maxBatch">Above 1, concurrent calls are batched (the model's batch dimension must be dynamic).</param>
    /// <param name="maxDelay">How long a batch that is not full waits for more images.</param>
    public OnnxObjectDetector(DetectorInfo info, LoadedSession session, IModelDecoder decoder, int maxBatch = 1, TimeSpan maxDelay = default)
    {
        Info = info;
        _session = session;
        _decoder = decoder;
        _inputNames = [decoder.Input.Name];
        _outputNames = [.. decoder.OutputNames];
        _inputShape = [1, 3, decoder.Input.Height, decoder.Input.Width];

        // A worker runs a few jobs at once; more concurrent callers than this still work, with a fresh buffer each.
        _buffers = new TensorBufferPool(decoder.Input.TensorLength, maxRetained: Math.Max(4, Environment.ProcessorCount * 2));
        if (maxBatch > 1)
        {
            _batcher = new DetectionBatcher(info.Key, maxBatch, maxDelay, RunBatch);
        }
    }

    public string Key => Info.Key;

    public DetectorInfo Info { get; }

    /// <summary>Batches run so far, or null when calls are not batched.</summary>
    internal long? BatchRuns => _batcher?.Runs;

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

        List<Candidate> candidates;
        using (var buffer = _buffers.Rent())
        {
            var transform = TensorWriter.Write(image, _decoder.Input, buffer);
            candidates = _batcher?.Run(buffer, transform, threshold) ?? RunOne(buffer, transform, threshold);
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

    private List<Candidate> RunOne(TensorBuffer buffer, in InputTransform transform, float threshold)
    {
        // The OrtValue reads the pooled buffer in place; it is disposed before the buffer goes back to the pool.
        var candidates = new List<Candidate>();
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.Memory, _inputShape);
        using var outputs = _session.Session.Run(_runOptions, _inputNames, [input], _outputNames);
        _decoder.Decode(outputs, transform, threshold, candidates);
        return candidates;
    }

    /// <summary>
    /// One Run over the images of <paramref name="items"/> stacked along the batch dimension; each output is then cut
    /// back into per-image tensors of batch 1, so the decoders read exactly what a single run gives them.
    /// </summary>
    private void RunBatch(IReadOnlyList<BatchItem> items)
    {
        var length = _decoder.Input.TensorLength;
        var stacked = ArrayPool<float>.Shared.Rent(items.Count * length);
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Input.Span.CopyTo(stacked.AsSpan(i * length, length));
            }

            long[] shape = [items.Count, .. _inputShape[1..]];
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, stacked.AsMemory(0, items.Count * length), shape);
            using var outputs = _session.Session.Run(_runOptions, _inputNames, [input], _outputNames);
            for (var i = 0; i < items.Count; i++)
            {
                DecodeOne(outputs, i, items.Count, items[i]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(stacked);
        }
    }

    private void DecodeOne(IReadOnlyList<OrtValue> outputs, int index, int count, BatchItem item)
    {
        var views = new OrtValue[outputs.Count];
        var copies = new float[outputs.Count][];
        try
        {
            for (var k = 0; k < outputs.Count; k++)
            {
                var all = outputs[k].GetTensorDataAsSpan<float>();
                var per = all.Length / count;
                copies[k] = ArrayPool<float>.Shared.Rent(per);
                all.Slice(index * per, per).CopyTo(copies[k]);
                long[] shape = [1, .. outputs[k].GetTensorTypeAndShape().Shape[1..]];
                views[k] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, copies[k].AsMemory(0, per), shape);
            }

            _decoder.Decode(views, item.Transform, item.ScoreThreshold, item.Candidates);
        }
        finally
        {
            for (var k = 0; k < outputs.Count; k++)
            {
                views[k]?.Dispose();
                if (copies[k] is { } copy)
                {
                    ArrayPool<float>.Shared.Return(copy);
                }
            }
        }
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

        _batcher?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}

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
    private readonly IModelDecoder _decoder;
    private readonly ImageSessionRunner _runner;
    private readonly DetectionBatcher? _batcher;

    /// <param name="maxBatch">Above 1, concurrent calls are batched (the model's batch dimension must be dynamic).</param>
    /// <param name="maxDelay">How long a batch that is not full waits for more images.</param>
    public OnnxObjectDetector(DetectorInfo info, LoadedSession session, IModelDecoder decoder, int maxBatch = 1, TimeSpan maxDelay = default)
    {
        Info = info;
        _decoder = decoder;
        _runner = new ImageSessionRunner(session, decoder.Input, decoder.OutputNames);
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
        _runner.CheckImage(image, this);

        var threshold = scoreThreshold ?? Info.ScoreThreshold;
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), scoreThreshold, "The score threshold must be between 0 and 1.");
        }

        List<Candidate> candidates;
        using (var buffer = _runner.Rent())
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
        // The run reads the pooled buffer in place; its outputs are disposed before the buffer goes back to the pool.
        var candidates = new List<Candidate>();
        using var outputs = _runner.Run(buffer.Memory, 1);
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

            using var outputs = _runner.Run(stacked.AsMemory(0, items.Count * length), items.Count);
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
        _batcher?.Dispose();
        _runner.Dispose();
    }
}

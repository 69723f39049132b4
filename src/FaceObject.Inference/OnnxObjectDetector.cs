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

    public OnnxObjectDetector(DetectorInfo info, LoadedSession session, IModelDecoder decoder)
    {
        Info = info;
        _decoder = decoder;
        _runner = new ImageSessionRunner(session, decoder.Input, decoder.OutputNames);
    }

    public string Key => Info.Key;

    public DetectorInfo Info { get; }

    public IReadOnlyList<Detection> Detect(Mat image, float? scoreThreshold = null)
    {
        _runner.CheckImage(image, this);

        var threshold = scoreThreshold ?? Info.ScoreThreshold;
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(scoreThreshold), scoreThreshold, "The score threshold must be between 0 and 1.");
        }

        var candidates = new List<Candidate>();
        _runner.Run(image, (outputs, transform) => _decoder.Decode(outputs, transform, threshold, candidates));

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

    public void Dispose() => _runner.Dispose();
}

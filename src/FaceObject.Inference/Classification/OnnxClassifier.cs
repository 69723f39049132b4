using FaceObject.Core.Results;
using FaceObject.Inference.Preprocessing;
using FaceObject.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace FaceObject.Inference.Classification;

/// <summary>
/// The classifier implementation: the detectors' pre-processing (<see cref="TensorWriter"/>, pooled buffers) with a
/// stretched input and no boxes to decode; each head's scores become its top classes. Thread-safe without locks.
/// </summary>
internal sealed class OnnxClassifier : IImageClassifier
{
    private readonly ImageSessionRunner _runner;

    public OnnxClassifier(ClassifierInfo info, LoadedSession session, InputSpec input)
    {
        Info = info;
        _runner = new ImageSessionRunner(session, input, [.. info.Heads.Select(h => h.Name)]);
    }

    public string Key => Info.Key;

    public ClassifierInfo Info { get; }

    public IReadOnlyList<HeadResult> Classify(Mat image, int? topK = null)
    {
        _runner.CheckImage(image, this);

        var k = topK ?? Info.TopK;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(topK));

        var results = new HeadResult[Info.Heads.Count];
        _runner.Run(image, (outputs, _) =>
        {
            for (var i = 0; i < results.Length; i++)
            {
                var head = Info.Heads[i];
                var values = outputs[i].GetTensorDataAsSpan<float>();
                results[i] = head.ClassNames is { } names
                    ? new HeadResult(head.Name, HeadScores.Top(values, names, k))
                    : new HeadResult(head.Name, [], MathF.Round(values[0], 4));
            }
        });

        return results;
    }

    public void WarmUp()
    {
        using var blank = new Mat(Info.InputHeight, Info.InputWidth, MatType.CV_8UC3, Scalar.All(0));
        Classify(blank);
    }

    public void Dispose() => _runner.Dispose();
}

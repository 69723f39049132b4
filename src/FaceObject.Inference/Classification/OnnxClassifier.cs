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
    private readonly LoadedSession _session;
    private readonly InputSpec _input;
    private readonly TensorBufferPool _buffers;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape;
    private int _disposed;

    public OnnxClassifier(ClassifierInfo info, LoadedSession session, InputSpec input)
    {
        Info = info;
        _session = session;
        _input = input;
        _inputNames = [input.Name];
        _outputNames = [.. info.Heads.Select(h => h.Name)];
        _inputShape = [1, 3, input.Height, input.Width];
        _buffers = new TensorBufferPool(input.TensorLength, maxRetained: Math.Max(4, Environment.ProcessorCount * 2));
    }

    public string Key => Info.Key;

    public ClassifierInfo Info { get; }

    public IReadOnlyList<HeadResult> Classify(Mat image, int? topK = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image (CV_8UC3); got {image.Type()} {image.Width}x{image.Height}.", nameof(image));
        }

        var k = topK ?? Info.TopK;
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1, nameof(topK));

        using var buffer = _buffers.Rent();
        TensorWriter.Write(image, _input, buffer);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.Memory, _inputShape);
        using var outputs = _session.Session.Run(_runOptions, _inputNames, [input], _outputNames);
        var results = new HeadResult[Info.Heads.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var head = Info.Heads[i];
            var values = outputs[i].GetTensorDataAsSpan<float>();
            results[i] = head.ClassNames is { } names
                ? new HeadResult(head.Name, HeadScores.Top(values, names, k))
                : new HeadResult(head.Name, [], MathF.Round(values[0], 4));
        }

        return results;
    }

    public void WarmUp()
    {
        using var blank = new Mat(Info.InputHeight, Info.InputWidth, MatType.CV_8UC3, Scalar.All(0));
        Classify(blank);
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

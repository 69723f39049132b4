using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace FaceObject.Inference.Runtime;

/// <summary>
/// What every image model does per call, whatever it outputs: check the image, write it into a pooled input tensor,
/// run the shared session and hand the outputs to the caller while they are alive. Owns the session. Thread-safe
/// without locks: <c>Run</c> on the session is thread-safe, and each call rents its own buffer.
/// </summary>
internal sealed class ImageSessionRunner : IDisposable
{
    private readonly LoadedSession _session;
    private readonly InputSpec _input;
    private readonly TensorBufferPool _buffers;

    // Never changed after construction, so sharing one across concurrent Run calls is safe.
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _inputShape;
    private int _disposed;

    public ImageSessionRunner(LoadedSession session, InputSpec input, IReadOnlyList<string> outputNames)
    {
        _session = session;
        _input = input;
        _inputNames = [input.Name];
        _outputNames = [.. outputNames];
        _inputShape = [1, 3, input.Height, input.Width];

        // A worker runs a few jobs at once; more concurrent callers than this still work, with a fresh buffer each.
        _buffers = new TensorBufferPool(input.TensorLength, maxRetained: Math.Max(4, Environment.ProcessorCount * 2));
    }

    /// <summary>Throws when disposed or when <paramref name="image"/> is not a non-empty 8-bit BGR image.</summary>
    public void CheckImage(Mat image, object owner)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, owner);
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
        {
            throw new ArgumentException($"Expected a non-empty 8-bit BGR image (CV_8UC3); got {image.Type()} {image.Width}x{image.Height}.", nameof(image));
        }
    }

    /// <summary>Runs the model on <paramref name="image"/>; <paramref name="read"/> gets the outputs (in the order given) and the input transform, and must not keep them.</summary>
    public void Run(Mat image, Action<IReadOnlyList<OrtValue>, InputTransform> read)
    {
        using var buffer = Rent();
        var transform = TensorWriter.Write(image, _input, buffer);
        using var outputs = Run(buffer.Memory, 1);
        read(outputs, transform);
    }

    /// <summary>A pooled input buffer of one image's tensor; dispose it to give it back.</summary>
    public TensorBuffer Rent() => _buffers.Rent();

    /// <summary>
    /// Runs the model on <paramref name="batch"/> images' tensors laid end to end in <paramref name="tensors"/>, read in
    /// place (the caller keeps them alive until the outputs are disposed); the caller disposes the outputs.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(Memory<float> tensors, int batch)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, tensors, [batch, .. _inputShape[1..]]);
        return _session.Session.Run(_runOptions, _inputNames, [input], _outputNames);
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

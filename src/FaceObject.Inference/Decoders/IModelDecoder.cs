using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// What makes one model type different from another: the input it wants (<see cref="Input"/>, applied by the
/// shared <see cref="TensorWriter"/>) and how its raw outputs become candidate boxes. Everything else (session,
/// buffers, class-aware NMS, labels) is shared. Instances are immutable after binding and thread-safe.
/// </summary>
internal interface IModelDecoder
{
    InputSpec Input { get; }

    /// <summary>The outputs to fetch from <c>Run</c>, in the order <see cref="Decode"/> reads them.</summary>
    IReadOnlyList<string> OutputNames { get; }

    /// <summary>Number of classes the model scores; the class names must match it.</summary>
    int ClassCount { get; }

    /// <summary>Names to use when neither a labels file nor model metadata gives them, or null when the type has none.</summary>
    IReadOnlyList<string>? BuiltInClassNames { get; }

    /// <summary>
    /// Appends every box whose score passes <paramref name="scoreThreshold"/> (the type decides whether the comparison
    /// is &gt; or &gt;=), mapped to original-image pixels through <paramref name="transform"/>, before NMS.
    /// </summary>
    /// <param name="outputs">The tensors named by <see cref="OutputNames"/>, owned by the caller; only read during the call.</param>
    void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates);
}

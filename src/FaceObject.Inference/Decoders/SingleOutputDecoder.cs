using FaceObject.Core.Models;
using FaceObject.Inference.Postprocessing;
using FaceObject.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Decoders;

/// <summary>
/// The shape most detector exports share: one image input and one output tensor whose class count the file fixes,
/// with no built-in class names. Subclasses only read the output. Immutable and thread-safe.
/// </summary>
internal abstract class SingleOutputDecoder(InputSpec input, string outputName, int classCount) : IModelDecoder
{
    public InputSpec Input { get; } = input;

    public IReadOnlyList<string> OutputNames { get; } = [outputName];

    public int ClassCount { get; } = classCount;

    public IReadOnlyList<string>? BuiltInClassNames => null;

    public abstract void Decode(IReadOnlyList<OrtValue> outputs, in InputTransform transform, float scoreThreshold, List<Candidate> candidates);

    /// <summary>The index of the highest score; the first one on ties.</summary>
    protected static int BestClass(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Length; c++)
        {
            if (scores[c] > scores[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// True when the graph has exactly one input, float32 <c>[1,3,H,W]</c> (dynamic H and W from configuration), and
    /// exactly one output; gives both and the input size for the type's own checks.
    /// </summary>
    protected static bool TryGetSingleInputAndOutput(
        ModelSignature signature, ModelOptions options, out TensorSignature input, out TensorSignature output, out int width, out int height)
    {
        input = output = null!;
        width = height = 0;
        if (signature.Inputs.Count != 1 || signature.Outputs.Count != 1)
        {
            return false;
        }

        input = signature.Inputs[0];
        output = signature.Outputs[0];
        return ImageInput.TryGetSize(input, options, out width, out height);
    }
}

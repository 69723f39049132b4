using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceObject.Inference.Decoders;

/// <summary>One input or output of an ONNX graph as ONNX Runtime reports it; -1 marks a dynamic dimension.</summary>
internal sealed record TensorSignature(string Name, string ElementType, int[] Dimensions)
{
    public bool IsFloat => ElementType == "float32";

    public int Rank => Dimensions.Length;

    /// <summary>True when the dimension is <paramref name="expected"/> or dynamic.</summary>
    public bool DimensionIs(int index, int expected) => Dimensions[index] == expected || Dimensions[index] < 0;

    public override string ToString() =>
        $"{Name} {ElementType}[{string.Join(',', Dimensions.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]";
}

/// <summary>The inputs and outputs of a loaded model, used to check it against its configured type and to name what it has.</summary>
internal sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs)
{
    public static ModelSignature Read(InferenceSession session) => new(
        session.InputNames.Select(name => Describe(name, session.InputMetadata[name])).ToList(),
        session.OutputNames.Select(name => Describe(name, session.OutputMetadata[name])).ToList());

    public TensorSignature? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    public override string ToString() =>
        $"inputs {string.Join(", ", Inputs)}; outputs {string.Join(", ", Outputs)}";

    private static TensorSignature Describe(string name, NodeMetadata metadata) => metadata.IsTensor
        ? new(name, ElementName(metadata.ElementDataType), metadata.Dimensions)
        : new(name, metadata.OnnxValueType.ToString().ToLowerInvariant(), []);

    private static string ElementName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        _ => type.ToString().ToLowerInvariant(),
    };
}

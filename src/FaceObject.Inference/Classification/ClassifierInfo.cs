namespace FaceObject.Inference.Classification;

/// <summary>What a loaded classifier is and how it runs; immutable.</summary>
/// <param name="Key">The model key from configuration.</param>
/// <param name="Path">The resolved, absolute path of the ONNX file.</param>
/// <param name="InputWidth">Model input width in pixels.</param>
/// <param name="InputHeight">Model input height in pixels.</param>
/// <param name="Heads">The outputs it reports, in output order.</param>
/// <param name="TopK">How many classes each class head returns by default.</param>
/// <param name="Device">The execution provider that really runs the model: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="IntraOpThreads">ONNX Runtime intra-op threads of the session.</param>
public sealed record ClassifierInfo(
    string Key,
    string Path,
    int InputWidth,
    int InputHeight,
    IReadOnlyList<ClassifierHead> Heads,
    int TopK,
    string Device,
    int IntraOpThreads)
{
    /// <summary>One line for logs: each head with its class count, or "(value)".</summary>
    public string DescribeHeads() =>
        string.Join(", ", Heads.Select(h => h.ClassNames is { } names ? $"{h.Name} ({names.Count})" : $"{h.Name} (value)"));
}

/// <summary>One output of a classifier: its ONNX name and class names, or no names for a single-number value head.</summary>
public sealed record ClassifierHead(string Name, IReadOnlyList<string>? ClassNames)
{
    public bool IsValue => ClassNames is null;
}

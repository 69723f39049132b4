namespace FaceObject.Inference;

/// <summary>What a loaded detector is and how it runs; immutable.</summary>
/// <param name="Key">The model key from configuration.</param>
/// <param name="Type">The model type: <c>ultraface</c>, <c>yolox</c>, <c>ultralytics</c> or <c>rtdetr</c>.</param>
/// <param name="Path">The resolved, absolute path of the ONNX file.</param>
/// <param name="InputWidth">Model input width in pixels.</param>
/// <param name="InputHeight">Model input height in pixels.</param>
/// <param name="ClassNames">Class names by class id.</param>
/// <param name="ScoreThreshold">Default minimum confidence, 0 to 1.</param>
/// <param name="NmsThreshold">IoU above which a box of the same class is suppressed, 0 to 1; null for types that run no NMS (rtdetr).</param>
/// <param name="Device">The execution provider that really runs the model: <c>cpu</c> or <c>cuda</c>.</param>
/// <param name="IntraOpThreads">ONNX Runtime intra-op threads of the session.</param>
/// <param name="MaxBatch">Most images one inference runs; 1 when calls are not batched.</param>
public sealed record DetectorInfo(
    string Key,
    string Type,
    string Path,
    int InputWidth,
    int InputHeight,
    IReadOnlyList<string> ClassNames,
    float ScoreThreshold,
    float? NmsThreshold,
    string Device,
    int IntraOpThreads,
    int MaxBatch = 1);

namespace FaceObject.Testing;

/// <summary>
/// Tiny ONNX graphs in the Ultralytics YOLO and RT-DETR output formats whose outputs are known constants, built once
/// per test run by <c>tests/FaceObject.Inference.Tests/FormatModels/make_format_models.py</c> into a temporary
/// folder (removed when the test process exits). They stand in for exports no pretrained file of which exists
/// here, so tests using them are format tests: they check decoding, not detection quality. The expected boxes
/// are documented in the script.
/// </summary>
public static class FormatModels
{
    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>[1,3,64,64] → output0 [1,7,84], names person, bicycle, car in metadata.</summary>
    public static string Ultralytics => Path.Combine(Folder.Value, "ultralytics.onnx");

    /// <summary>As <see cref="Ultralytics"/> with no metadata.</summary>
    public static string UltralyticsWithoutNames => Path.Combine(Folder.Value, "ultralytics_nonames.onnx");

    /// <summary>As <see cref="Ultralytics"/> with symbolic batch, height, width and point count.</summary>
    public static string UltralyticsDynamic => Path.Combine(Folder.Value, "ultralytics_dynamic.onnx");

    /// <summary>[1,3,64,64] → output0 [1,300,7], names person, bicycle, car in metadata.</summary>
    public static string RtDetr => Path.Combine(Folder.Value, "rtdetr.onnx");

    public static string Script => Path.Combine(TestPaths.RepositoryRoot, "tests", "FaceObject.Inference.Tests", "FormatModels", "make_format_models.py");

    private static string Build()
    {
        var folder = Directory.CreateTempSubdirectory("faceobject-format-models-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => PythonOnnx.TryDelete(folder);

        PythonOnnx.Run("The format-test models", Script, folder);
        return folder;
    }
}

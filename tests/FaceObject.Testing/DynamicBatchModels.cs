namespace FaceObject.Testing;

/// <summary>
/// The shared models with a dynamic batch dimension, written once per test run by scripts/make_dynamic_batch.py
/// (the script scripts/fetch-models.sh runs on models/) into a temporary folder removed when the process exits.
/// </summary>
public static class DynamicBatchModels
{
    private static readonly string[] Files = ["yolox_nano.onnx", "version-RFB-320.onnx", "version-RFB-640.onnx"];
    private static readonly Lazy<string> Folder = new(Build);

    /// <summary>The <c>.dynamic.onnx</c> copy of <paramref name="fileName"/>, one of the shared models.</summary>
    public static string Model(string fileName) =>
        Path.Combine(Folder.Value, Path.GetFileNameWithoutExtension(fileName) + ".dynamic.onnx");

    public static string Script => Path.Combine(TestPaths.RepositoryRoot, "scripts", "make_dynamic_batch.py");

    private static string Build()
    {
        var folder = Directory.CreateTempSubdirectory("faceobject-dynamic-batch-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => PythonOnnx.TryDelete(folder);
        PythonOnnx.Run("The dynamic-batch models", Script, ["--out", folder, .. Files.Select(TestPaths.Model)]);
        return folder;
    }
}

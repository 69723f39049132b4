namespace FaceObject.Testing;

/// <summary>Runs the repository's python3-onnx scripts that build test models (FormatModels, DynamicBatchModels).</summary>
internal static class PythonOnnx
{
    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>; throws naming <paramref name="what"/> and how to install python3-onnx when it fails.</summary>
    public static void Run(string what, string script, params string[] arguments)
    {
        // Debian's python3-onnx lives in the system interpreter; a python3 earlier on PATH (pyenv, venv) may lack it.
        var failures = new List<string>();
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var (exitCode, output) = RunWith(python, script, arguments);
            if (exitCode == 0)
            {
                return;
            }

            failures.Add($"{python}: {output.Trim()}");
        }

        throw new InvalidOperationException(
            $"{what} could not be built: install Debian's python3-onnx and python3-numpy "
            + "(apt-get install -y python3-onnx python3-numpy; scripts/install-deps.sh --with-redis does it). "
            + string.Join(" | ", failures));
    }

    public static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static (int ExitCode, string Output) RunWith(string python, string script, string[] arguments) =>
        LocalServer.RunToEnd(python, [script, .. arguments], TimeSpan.FromSeconds(60));
}

using System.Diagnostics;

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
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);

        // Debian's python3-onnx lives in the system interpreter; a python3 earlier on PATH (pyenv, venv) may lack it.
        var failures = new List<string>();
        foreach (var python in new[] { "/usr/bin/python3", "python3" })
        {
            var (exitCode, output) = Run(python, Script, folder);
            if (exitCode == 0)
            {
                return folder;
            }

            failures.Add($"{python}: {output.Trim()}");
        }

        throw new InvalidOperationException(
            "The format-test models could not be built: install Debian's python3-onnx and python3-numpy "
            + "(apt-get install -y python3-onnx python3-numpy; scripts/install-deps.sh --with-redis does it). "
            + string.Join(" | ", failures));
    }

    private static (int ExitCode, string Output) Run(string python, string script, string folder)
    {
        var info = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(folder);
        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 60 s");
            }

            return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    private static void TryDelete(string folder)
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
}

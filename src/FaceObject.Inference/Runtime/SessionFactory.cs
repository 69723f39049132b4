using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Runtime;

/// <summary>Builds a model's session with the execution provider asked for, falling back or failing as configured.</summary>
internal static class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private const string CudaProviderLibrary = "libonnxruntime_providers_cuda.so";

    public static DeviceRequest? ParseDevice(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => DeviceRequest.Auto,
        "cpu" => DeviceRequest.Cpu,
        "cuda" => DeviceRequest.Cuda,
        _ => null,
    };

    /// <exception cref="ModelLoadException">The file is not a valid ONNX model, or <c>cuda</c> was required and cannot start.</exception>
    public static LoadedSession Create(string key, string path, DeviceRequest device, int intraOpThreads, ILogger logger)
    {
        if (device == DeviceRequest.Cpu)
        {
            return CreateCpu(key, path, intraOpThreads);
        }

        var options = CreateOptions(key, intraOpThreads);
        var failure = TryAppendCuda(options);
        if (failure is null)
        {
            try
            {
                return new LoadedSession(new InferenceSession(path, options), options, "cuda");
            }
            catch (OnnxRuntimeException e)
            {
                failure = FirstLine(e.Message);
            }
        }

        options.Dispose();

        // Loading on the CPU first tells a broken model (reported as such) from a CUDA provider that cannot start.
        var cpu = CreateCpu(key, path, intraOpThreads);
        if (device == DeviceRequest.Cuda)
        {
            cpu.Dispose();
            throw new ModelLoadException(
                $"Model '{key}' ({path}): Device is 'cuda' but the CUDA execution provider cannot start: {failure}. Set Device to 'auto' or 'cpu' to run on the CPU.");
        }

        Log.CudaUnavailable(logger, key, failure);
        return cpu;
    }

    private static LoadedSession CreateCpu(string key, string path, int intraOpThreads)
    {
        var options = CreateOptions(key, intraOpThreads);
        try
        {
            return new LoadedSession(new InferenceSession(path, options), options, "cpu");
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new ModelLoadException($"Model '{key}' ({path}) is not a valid ONNX model: {FirstLine(e.Message)}", e);
        }
    }

    private static SessionOptions CreateOptions(string key, int intraOpThreads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = intraOpThreads,
        InterOpNumThreads = 1,

        // YOLOX exports warn at load that some initialisers are also graph inputs; harmless, so log errors only.
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        LogId = key,
    };

    /// <returns>Null when the provider was appended; otherwise why it could not be.</returns>
    private static string? TryAppendCuda(SessionOptions options)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
        {
            return "this ONNX Runtime build has no CUDA provider (the default build is CPU-only; build with -p:OnnxRuntimeFlavor=Gpu)";
        }

        // ONNX Runtime would also print the loader's error on its own console log: the reason goes into the one
        // warning or start-up error instead, so its log is quiet while the provider loads.
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            var reason = FirstLine(e.Message);
            return MissingCudaLibrary() is { } missing ? $"{reason}: {missing}" : reason;
        }
        finally
        {
            env.EnvLogLevel = level;
        }
    }

    /// <summary>
    /// ONNX Runtime says only "Failed to load shared library" (the loader's own message goes to its console log), so
    /// load the provider library again to learn which CUDA library is missing, e.g. "libcublasLt.so.13: cannot open
    /// shared object file" when the CUDA major on the machine is not the one the package links.
    /// </summary>
    private static string? MissingCudaLibrary()
    {
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var folder in new[] { AppContext.BaseDirectory, native })
        {
            var path = Path.Combine(folder, CudaProviderLibrary);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
                return null;
            }
            catch (DllNotFoundException e)
            {
                var match = Regex.Match(e.Message, @"[^\s:]+: cannot open shared object file");
                return match.Success ? match.Value : FirstLine(e.Message);
            }
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).TrimEnd('.').ToString();
    }
}

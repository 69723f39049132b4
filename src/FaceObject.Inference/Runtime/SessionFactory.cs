using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Runtime;

/// <summary>Builds a model's session with the execution provider asked for, falling back or failing as configured.</summary>
internal static class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";

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

        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            return FirstLine(e.Message);
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).TrimEnd('.').ToString();
    }
}

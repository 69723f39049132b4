using FaceObject.Core.Models;
using FaceObject.Inference.Decoders;
using FaceObject.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace FaceObject.Inference;

/// <summary>The checks every model type shares before a session starts: a path that exists and a valid device.</summary>
internal static class ModelSource
{
    /// <returns>The resolved absolute path and the requested device.</returns>
    /// <exception cref="ModelLoadException">One line naming the key, the setting and what is accepted.</exception>
    public static (string Path, DeviceRequest Device) Check(string key, ModelOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ModelLoadException($"Model '{key}': Path is empty; set Models:{key}:Path to an ONNX file.");
        }

        var path = ModelPathResolver.Resolve(options.Path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException(
                $"Model '{key}': file '{path}' does not exist (Path '{options.Path}'; a relative path is tried against the working directory, then the application folder and its parents).");
        }

        var device = SessionFactory.ParseDevice(options.Device)
            ?? throw new ModelLoadException($"Model '{key}': Device '{options.Device}' is not valid; use auto, cpu or cuda.");
        return (path, device);
    }

    /// <summary>
    /// Starts the model's session with its intra-op threads (<see cref="ModelOptions.IntraOpThreads"/>, else
    /// <paramref name="defaultIntraOpThreads"/>), reads its signature and checks the configured input size against it.
    /// </summary>
    /// <returns>The session (the caller owns it), its signature and the threads it runs with.</returns>
    public static (LoadedSession Session, ModelSignature Signature, int Threads) Open(
        string key, ModelOptions options, string path, DeviceRequest device, int defaultIntraOpThreads, ILogger logger)
    {
        var threads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Math.Max(1, defaultIntraOpThreads);
        var session = SessionFactory.Create(key, path, device, threads, logger);
        try
        {
            var signature = ModelSignature.Read(session.Session);
            return ImageInput.SizeProblem(signature, options) is { } sizeProblem
                ? throw new ModelLoadException($"Model '{key}' ({path}): {sizeProblem}.")
                : (session, signature, threads);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}

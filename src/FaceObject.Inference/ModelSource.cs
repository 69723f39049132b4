using FaceObject.Core.Models;
using FaceObject.Inference.Runtime;

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
}

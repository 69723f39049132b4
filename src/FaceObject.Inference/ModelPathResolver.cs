namespace FaceObject.Inference;

/// <summary>Finds model and label files given in configuration. Stateless and thread-safe.</summary>
public static class ModelPathResolver
{
    /// <summary>
    /// Absolute paths are returned as they are (normalised). A relative path is tried against the current directory,
    /// then against each ancestor of <see cref="AppContext.BaseDirectory"/>, so <c>../shared/models/x.onnx</c> or
    /// <c>models/x.onnx</c> work from <c>dotnet run</c>, from tests and from a published folder alike.
    /// </summary>
    /// <returns>The first candidate that exists; otherwise the current-directory candidate, so an error can name it.</returns>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        var fromCurrentDirectory = Path.GetFullPath(path);
        if (File.Exists(fromCurrentDirectory))
        {
            return fromCurrentDirectory;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.GetFullPath(Path.Combine(dir.FullName, path));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return fromCurrentDirectory;
    }
}

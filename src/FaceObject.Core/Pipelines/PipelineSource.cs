namespace FaceObject.Core.Pipelines;

/// <summary>The JSON text of one pipeline and where it came from (a configuration path or a file), for messages.</summary>
public sealed record PipelineSource(string Name, string Origin, string Json)
{
    /// <summary>Every <c>*.json</c> file of <paramref name="folder"/>, named by its file name without the extension.</summary>
    public static IReadOnlyList<PipelineSource> FromFolder(string folder) => Directory.Exists(folder)
        ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => new PipelineSource(Path.GetFileNameWithoutExtension(f), f, File.ReadAllText(f)))
            .ToList()
        : throw new PipelineDefinitionException([$"Pipelines folder '{folder}' does not exist; set Pipelines:Folder to a folder of JSON files, or leave it empty."]);
}

namespace FaceObject.Core.Tasks;

public enum TaskKind
{
    Image,
    Video,

    /// <summary>A pipeline run (docs/pipelines.md): <see cref="TaskRecord.Model"/> is the pipeline's name.</summary>
    Pipeline,
}

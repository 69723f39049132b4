namespace FaceObject.Core.Tasks;

public enum TaskKind
{
    Image,
    Video,
}

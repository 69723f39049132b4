namespace FaceObject.Core.Results;

/// <summary>
/// One detected object. <see cref="Bbox"/> is in original-image pixels. <see cref="TrackId"/> is set in videos and
/// streams: the same object keeps its id across frames (left out of the JSON for single images).
/// </summary>
public sealed record Detection(
    int ClassId,
    string ClassName,
    float Confidence,
    BoundingBox Bbox,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? TrackId = null);

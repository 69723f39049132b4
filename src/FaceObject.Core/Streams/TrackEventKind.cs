namespace FaceObject.Core.Streams;

/// <summary>A stable tracked object appeared, was seen again, or left (not seen for the tracker's buffer, or the stream stopped).</summary>
public enum TrackEventKind
{
    New,
    Update,
    End,
}

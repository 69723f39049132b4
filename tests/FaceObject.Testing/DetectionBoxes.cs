using System.Text.Json.Nodes;
using FaceObject.Core.Results;

namespace FaceObject.Testing;

/// <summary>The boxes of a JSON list of detections, as results and pipeline metadata give them.</summary>
public static class DetectionBoxes
{
    public static List<BoundingBox> Of(JsonNode detections) => detections.AsArray()
        .Select(d => d!["bbox"]!)
        .Select(b => new BoundingBox(b["x1"]!.GetValue<float>(), b["y1"]!.GetValue<float>(), b["x2"]!.GetValue<float>(), b["y2"]!.GetValue<float>()))
        .ToList();
}

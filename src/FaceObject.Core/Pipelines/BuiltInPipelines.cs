using FaceObject.Core.Models;

namespace FaceObject.Core.Pipelines;

/// <summary>
/// Pipelines every host knows without configuration, each present when the models it runs are configured under
/// the keys it names; a configured pipeline of the same name replaces it.
/// </summary>
public static class BuiltInPipelines
{
    public const string Origin = "built-in";

    /// <summary>Seed 001's pipeline: faces blurred (the processed image), objects detected, both metadata blocks in the result.</summary>
    public const string BlurAndDetect = """
        {
          "description": "Faces blurred and objects detected on one image (seed 001): the blurred image, blur_metadata and detection_metadata",
          "detect": { "model": "object" },
          "blur": { "model": "face", "classes": ["face"] }
        }
        """;

    /// <summary>The seed's car example without the database: the best car and truck cropped and classified (type and colour).</summary>
    public const string VehicleAttributes = """
        {
          "description": "Cars and trucks detected, the best of each cropped and classified by vehicle type and colour",
          "detect": { "model": "object", "expected_classes": ["car", "truck", "bus"] },
          "branches": [
            { "id": "car", "model": "vehicle", "crop_class": "car", "timeout_seconds": 30 },
            { "id": "truck", "model": "vehicle", "crop_class": "truck", "timeout_seconds": 30 },
            { "id": "bus", "model": "vehicle", "crop_class": "bus", "timeout_seconds": 30 }
          ]
        }
        """;

    public static IEnumerable<PipelineSource> For(ModelCatalog models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (IsDetector(models, "object") && IsDetector(models, "face"))
        {
            yield return new PipelineSource("blur-and-detect", Origin, BlurAndDetect);
        }

        if (IsDetector(models, "object") && models.TryGet("vehicle", out _) && models.IsClassifier("vehicle"))
        {
            yield return new PipelineSource("vehicle-attributes", Origin, VehicleAttributes);
        }
    }

    private static bool IsDetector(ModelCatalog models, string key) => models.TryGet(key, out _) && !models.IsClassifier(key);
}

using System.ComponentModel.DataAnnotations;

namespace FaceObject.Processing.Fetching;

/// <summary>
/// The image limits a worker applies to images it fetches from URLs. They are the API's upload limits
/// (<c>Api:MaxImageBytes</c>, <c>Api:MaxImagePixels</c>) read from the same keys, so one setting governs both paths;
/// a separate worker process needs the same values in its configuration.
/// </summary>
public sealed class ImageLimits
{
    public const string Section = "Api";

    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 20 * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxImagePixels { get; set; } = 50_000_000;
}

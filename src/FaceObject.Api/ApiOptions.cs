using System.ComponentModel.DataAnnotations;

namespace FaceObject.Api;

/// <summary><c>Api:*</c>: what the HTTP front accepts and whether it also processes.</summary>
internal sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Run Hangfire servers for every model queue in this process (the all-in-one mode). False: enqueue only.</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>Largest accepted image upload, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest accepted image, in pixels (width x height from the header, checked before decoding).</summary>
    [Range(1, long.MaxValue)]
    public long MaxImagePixels { get; set; } = 50_000_000;
}

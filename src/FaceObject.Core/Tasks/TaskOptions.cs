using System.ComponentModel.DataAnnotations;

namespace FaceObject.Core.Tasks;

/// <summary><c>Tasks:*</c>: how long records, payloads and output images are kept.</summary>
public sealed class TaskOptions
{
    public const string Section = "Tasks";

    /// <summary>Task records, payloads and output images expire this long after the task is created.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "90.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Redis key prefix for our own keys (Hangfire has its own).</summary>
    public string KeyPrefix { get; set; } = "faceobject:";
}

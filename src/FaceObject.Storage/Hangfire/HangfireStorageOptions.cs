using System.ComponentModel.DataAnnotations;

namespace FaceObject.Storage.Hangfire;

/// <summary><c>Hangfire:*</c>: the Redis layout of Hangfire's own data.</summary>
public sealed class HangfireStorageOptions
{
    public const string Section = "Hangfire";

    /// <summary>Key prefix of Hangfire's data; queue <c>face</c> lives in the list <c>{Prefix}queue:face</c>.</summary>
    [Required]
    public string Prefix { get; set; } = "{hangfire}:";

    /// <summary>
    /// How long a fetched job may stay unacknowledged before Redis storage hands it to another worker. It is how a
    /// job whose worker died gets back to the queue; keep it longer than any job can run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

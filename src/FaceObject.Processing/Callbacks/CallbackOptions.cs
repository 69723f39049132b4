using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceObject.Processing.Callbacks;

/// <summary><c>Callbacks:*</c>: how ended tasks are reported to their <c>callback_url</c>.</summary>
public sealed class CallbackOptions : IValidatableObject
{
    public const string Section = "Callbacks";

    /// <summary>Per attempt: connect, send, and the receiver's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When set, each POST carries <c>X-FaceObject-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c> keyed with it.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Seconds to wait before each retry, comma-separated; their count is the number of retries, so the default
    /// makes up to 6 attempts over about 7 minutes. Empty: one attempt, no retry.
    /// </summary>
    public string RetryDelays { get; set; } = "2,10,30,60,300";

    /// <summary>Hangfire worker threads of the callbacks server in each processing host (deliveries wait on the network, not the CPU).</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    public IReadOnlyList<int> RetryDelaySeconds => ParseDelays(RetryDelays, out _);

    /// <summary>The first attempt plus one per retry delay.</summary>
    public int MaxAttempts => RetryDelaySeconds.Count + 1;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ParseDelays(RetryDelays, out var error);
        if (error is not null)
        {
            yield return new ValidationResult(error, [nameof(RetryDelays)]);
        }
    }

    private static List<int> ParseDelays(string? text, out string? error)
    {
        error = null;
        var delays = new List<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 86_400)
            {
                error = $"Callbacks:RetryDelays must be whole seconds from 1 to 86400, comma-separated (e.g. 2,10,30,60,300); '{part}' is not.";
                continue;
            }

            delays.Add(seconds);
        }

        return delays;
    }
}

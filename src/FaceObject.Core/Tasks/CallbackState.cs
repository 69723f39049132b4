namespace FaceObject.Core.Tasks;

/// <summary>Delivery of a task's callback: pending until a POST is answered 2xx (delivered) or attempts run out (failed).</summary>
public enum CallbackStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// Where a task's end is reported and how that went; part of the task record and of what <c>GET /api/task/{id}</c>
/// shows. Changed only through <see cref="After"/>, which the stores apply atomically.
/// </summary>
public sealed record CallbackState
{
    public required string Url { get; init; }

    public CallbackStatus Status { get; init; } = CallbackStatus.Pending;

    /// <summary>POSTs made so far (answered or not).</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last attempt did not deliver; null once delivered.</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>
    /// The state after one more attempt. Delivered and failed are final: a late or duplicate attempt changes nothing.
    /// A failed attempt leaves the callback pending while fewer than <paramref name="maxAttempts"/> were made and the
    /// error is not permanent.
    /// </summary>
    public CallbackState After(CallbackAttempt attempt, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (Status != CallbackStatus.Pending)
        {
            return this;
        }

        var attempts = Attempts + 1;
        if (attempt.Error is null)
        {
            return this with { Status = CallbackStatus.Delivered, Attempts = attempts, LastError = null, LastAttemptAt = attempt.At, DeliveredAt = attempt.At };
        }

        var final = attempt.Permanent || attempts >= maxAttempts;
        return this with
        {
            Status = final ? CallbackStatus.Failed : CallbackStatus.Pending,
            Attempts = attempts,
            LastError = attempt.Error,
            LastAttemptAt = attempt.At,
        };
    }
}

/// <summary>One POST of a callback: <see cref="Error"/> is null when it was answered 2xx.</summary>
/// <param name="At">When the attempt ended (UTC).</param>
/// <param name="Error">Why it did not deliver, for the task record; null when delivered.</param>
/// <param name="Permanent">No retry can help (the address is refused): fail now instead of after every attempt.</param>
public sealed record CallbackAttempt(DateTimeOffset At, string? Error = null, bool Permanent = false)
{
    public static CallbackAttempt Delivered(DateTimeOffset at) => new(at);
}

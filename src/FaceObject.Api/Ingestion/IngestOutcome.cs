namespace FaceObject.Api.Ingestion;

/// <summary>What became of one message.</summary>
internal enum IngestVerdict
{
    /// <summary>Its task is recorded and enqueued (now, or by an earlier delivery): acknowledge it.</summary>
    Accepted,

    /// <summary>It can never succeed: dead-letter it with the reason, then acknowledge it.</summary>
    Poison,

    /// <summary>It asked a question (a health check): publish <see cref="IngestOutcome.Reply"/> with the results, then acknowledge it.</summary>
    Answered,

    /// <summary>A passing fault (storage down, queue full): leave it unacknowledged, so it is delivered again.</summary>
    Retry,
}

/// <param name="TaskId">The task, when <see cref="IngestVerdict.Accepted"/>.</param>
/// <param name="Reason">Why it was refused or put off, for a person to act on; for <see cref="IngestVerdict.Answered"/>, the answer's status.</param>
/// <param name="Reply">The answer's JSON document, when <see cref="IngestVerdict.Answered"/>.</param>
internal sealed record IngestOutcome(IngestVerdict Verdict, string? TaskId, string? Reason, byte[]? Reply = null)
{
    /// <param name="taskId">The producer's <c>task_id</c>, which the reply carries; may be null.</param>
    public static IngestOutcome Answered(string? taskId, string status, byte[] reply) => new(IngestVerdict.Answered, taskId, status, reply);

    public static IngestOutcome Accepted(string taskId) => new(IngestVerdict.Accepted, taskId, null);

    public static IngestOutcome Poison(string reason) => new(IngestVerdict.Poison, null, reason);

    public static IngestOutcome Retry(string reason) => new(IngestVerdict.Retry, null, reason);
}

namespace FaceObject.Core.Storage;

/// <summary>Ended tasks of one queue since the store began counting; <see cref="EndedLastMinute"/> is approximate (two one-minute buckets).</summary>
public sealed record QueueStatistics(string Queue, long Completed, long Failed, long Cancelled, long EndedLastMinute);

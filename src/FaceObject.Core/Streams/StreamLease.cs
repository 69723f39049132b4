namespace FaceObject.Core.Streams;

/// <summary>
/// The right to read one stream. <paramref name="Fence"/> grows with every grant, so a write carrying an older fence (an
/// owner that lost its lease and does not know yet) is refused.
/// </summary>
public sealed record StreamLease(string StreamId, string Owner, long Fence);

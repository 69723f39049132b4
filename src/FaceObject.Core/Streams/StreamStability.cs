namespace FaceObject.Core.Streams;

/// <summary>
/// When a tracked object counts as real: seen in at least <paramref name="Frames"/> detected frames with a median score of at
/// least <paramref name="MedianScore"/>. Only stable objects raise events, so one-frame false positives never do.
/// </summary>
public sealed record StreamStability(int Frames, float MedianScore);

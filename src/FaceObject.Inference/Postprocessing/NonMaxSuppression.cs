namespace FaceObject.Inference.Postprocessing;

/// <summary>
/// Greedy class-aware non-maximum suppression shared by every model type: a box is dropped when a higher-scoring
/// box of the same class overlaps it with IoU above the threshold; boxes of different classes never suppress each
/// other. Stateless and thread-safe.
/// </summary>
internal static class NonMaxSuppression
{
    /// <summary>
    /// Only the best this many candidates enter NMS, which is O(n x kept). Default thresholds give tens of candidates;
    /// the cap bounds the cost when a caller asks for a score threshold near 0.
    /// </summary>
    public const int MaxCandidates = 3000;

    /// <param name="candidates">Sorted in place by descending score; empty boxes are skipped.</param>
    /// <param name="iouThreshold">IoU strictly above which a box is suppressed, 0 to 1.</param>
    /// <returns>The kept candidates, highest score first.</returns>
    public static List<Candidate> Apply(List<Candidate> candidates, float iouThreshold)
    {
        ArgumentNullException.ThrowIfNull(candidates);

        // Ties keep a deterministic order (the comparison sees the same input in the same order every call).
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var count = Math.Min(candidates.Count, MaxCandidates);
        var kept = new List<Candidate>();
        for (var i = 0; i < count; i++)
        {
            var candidate = candidates[i];
            if (candidate.Box.Area <= 0)
            {
                continue;
            }

            var suppressed = false;
            foreach (var k in kept)
            {
                if (k.ClassId == candidate.ClassId && k.Box.IoU(candidate.Box) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    /// <summary>
    /// For types whose outputs need no NMS: the non-empty candidates, highest score first, at most
    /// <see cref="MaxCandidates"/>; the same order and cap <see cref="Apply"/> gives.
    /// </summary>
    /// <param name="candidates">Sorted in place by descending score.</param>
    public static List<Candidate> Rank(List<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        return candidates.Take(MaxCandidates).Where(c => c.Box.Area > 0).ToList();
    }
}

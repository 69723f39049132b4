using FaceObject.Tracking;

namespace FaceObject.Testing.Mot;

/// <summary>
/// MOTA (CLEAR MOT: a ground-truth object and a hypothesis match at IoU ≥ 0.5; last frame's matches are kept while
/// still valid, the rest are assigned by the Hungarian method; a matched object whose hypothesis id changed is an ID
/// switch) and IDF1 (one global assignment of ground-truth ids to hypothesis ids that maximises the frames they match
/// in; IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN)).
/// </summary>
public static class MotEvaluator
{
    public static MotMetrics Evaluate(IReadOnlyList<MotBox> truth, IReadOnlyList<MotBox> hypotheses, double minIoU = 0.5)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(hypotheses);
        var truthByFrame = truth.ToLookup(b => b.Frame);
        var hypothesesByFrame = hypotheses.ToLookup(b => b.Frame);
        var frames = truth.Select(b => b.Frame).Concat(hypotheses.Select(b => b.Frame)).Distinct().Order();
        var lastMatch = new Dictionary<int, int>();
        var together = new Dictionary<(int Truth, int Hypothesis), int>();
        int matches = 0, falseNegatives = 0, falsePositives = 0, switches = 0;
        foreach (var frame in frames)
        {
            var gt = truthByFrame[frame].ToList();
            var hy = hypothesesByFrame[frame].ToList();
            CountOverlaps(gt, hy, minIoU, together);
            var pairs = MatchFrame(gt, hy, minIoU, lastMatch);
            foreach (var (g, h) in pairs)
            {
                if (lastMatch.TryGetValue(gt[g].Id, out var previous) && previous != hy[h].Id)
                {
                    switches++;
                }

                lastMatch[gt[g].Id] = hy[h].Id;
            }

            matches += pairs.Count;
            falseNegatives += gt.Count - pairs.Count;
            falsePositives += hy.Count - pairs.Count;
        }

        var mota = truth.Count == 0 ? 0 : 1 - (double)(falseNegatives + falsePositives + switches) / truth.Count;
        return new MotMetrics(truth.Count, matches, falseNegatives, falsePositives, switches, mota, Idf1(truth, hypotheses, together));
    }

    /// <summary>Keeps last frame's correspondences that still overlap enough, then assigns the rest by IoU.</summary>
    private static List<(int Truth, int Hypothesis)> MatchFrame(List<MotBox> gt, List<MotBox> hy, double minIoU, Dictionary<int, int> lastMatch)
    {
        var pairs = new List<(int, int)>();
        var usedTruth = new HashSet<int>();
        var usedHypotheses = new HashSet<int>();
        for (var g = 0; g < gt.Count; g++)
        {
            if (!lastMatch.TryGetValue(gt[g].Id, out var previous))
            {
                continue;
            }

            var h = hy.FindIndex(b => b.Id == previous);
            if (h >= 0 && !usedHypotheses.Contains(h) && gt[g].Box.IoU(hy[h].Box) >= minIoU)
            {
                pairs.Add((g, h));
                usedTruth.Add(g);
                usedHypotheses.Add(h);
            }
        }

        var freeTruth = Enumerable.Range(0, gt.Count).Where(g => !usedTruth.Contains(g)).ToList();
        var freeHypotheses = Enumerable.Range(0, hy.Count).Where(h => !usedHypotheses.Contains(h)).ToList();
        var cost = new double[freeTruth.Count, freeHypotheses.Count];
        for (var i = 0; i < freeTruth.Count; i++)
        {
            for (var j = 0; j < freeHypotheses.Count; j++)
            {
                cost[i, j] = 1 - gt[freeTruth[i]].Box.IoU(hy[freeHypotheses[j]].Box);
            }
        }

        pairs.AddRange(LinearAssignment.Solve(cost, 1 - minIoU).Select(p => (freeTruth[p.Row], freeHypotheses[p.Column])));
        return pairs;
    }

    private static void CountOverlaps(List<MotBox> gt, List<MotBox> hy, double minIoU, Dictionary<(int, int), int> together)
    {
        foreach (var g in gt)
        {
            foreach (var h in hy.Where(h => g.Box.IoU(h.Box) >= minIoU))
            {
                together[(g.Id, h.Id)] = together.GetValueOrDefault((g.Id, h.Id)) + 1;
            }
        }
    }

    private static double Idf1(IReadOnlyList<MotBox> truth, IReadOnlyList<MotBox> hypotheses, Dictionary<(int Truth, int Hypothesis), int> together)
    {
        var truthIds = truth.Select(b => b.Id).Distinct().ToList();
        var hypothesisIds = hypotheses.Select(b => b.Id).Distinct().ToList();
        if (truthIds.Count == 0 || hypothesisIds.Count == 0)
        {
            return 0;
        }

        var most = together.Values.DefaultIfEmpty(0).Max();
        var cost = new double[truthIds.Count, hypothesisIds.Count];
        for (var i = 0; i < truthIds.Count; i++)
        {
            for (var j = 0; j < hypothesisIds.Count; j++)
            {
                cost[i, j] = most - together.GetValueOrDefault((truthIds[i], hypothesisIds[j]));
            }
        }

        var identityTruePositives = LinearAssignment.Solve(cost, most - 1)
            .Sum(p => together.GetValueOrDefault((truthIds[p.Row], hypothesisIds[p.Column])));
        return 2.0 * identityTruePositives / (truth.Count + hypotheses.Count);
    }
}

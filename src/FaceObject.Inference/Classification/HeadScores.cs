using FaceObject.Core.Results;

namespace FaceObject.Inference.Classification;

/// <summary>Turns one head's raw output into its best classes.</summary>
internal static class HeadScores
{
    /// <summary>
    /// The <paramref name="k"/> best classes, highest first, as probabilities rounded to four decimals. Outputs that
    /// already are a distribution (all three verified models end in a softmax) are kept; anything else (logits) gets
    /// a softmax first, so every score means the same thing whichever export is configured.
    /// </summary>
    public static IReadOnlyList<ClassScore> Top(ReadOnlySpan<float> values, IReadOnlyList<string> names, int k)
    {
        var scores = IsDistribution(values) ? values.ToArray() : Softmax(values);
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).Take(k);
        return order.Select(i => new ClassScore(i, names[i], MathF.Round(scores[i], 4))).ToList();
    }

    private static bool IsDistribution(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            if (v is < 0 or > 1)
            {
                return false;
            }

            sum += v;
        }

        return Math.Abs(sum - 1) < 0.01;
    }

    private static float[] Softmax(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = MathF.Max(max, v);
        }

        var result = new float[values.Length];
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = MathF.Exp(values[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }
}

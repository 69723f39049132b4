namespace FaceObject.Tracking;

/// <summary>
/// Minimum-cost matching of rows to columns (the Hungarian method, O(n³) on the padded square), where a pair whose
/// cost exceeds the limit may not be matched. Used for tracks against detections, and by the MOT evaluator.
/// </summary>
public static class LinearAssignment
{
    /// <summary>The matched (row, column) pairs with cost at most <paramref name="costLimit"/>; rows and columns left out are unmatched.</summary>
    public static IReadOnlyList<(int Row, int Column)> Solve(double[,] cost, double costLimit)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var rows = cost.GetLength(0);
        var columns = cost.GetLength(1);
        if (rows == 0 || columns == 0)
        {
            return [];
        }

        // Pairs over the limit cost more than leaving both sides unmatched, so the solver never prefers them.
        var n = Math.Max(rows, columns);
        var forbidden = costLimit + 1;
        var a = new double[n + 1, n + 1];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++)
            {
                a[r + 1, c + 1] = r < rows && c < columns && cost[r, c] <= costLimit ? cost[r, c] : forbidden;
            }
        }

        var assignment = Hungarian(a, n);
        var pairs = new List<(int, int)>();
        for (var c = 1; c <= n; c++)
        {
            var r = assignment[c];
            if (r > 0 && r - 1 < rows && c - 1 < columns && cost[r - 1, c - 1] <= costLimit)
            {
                pairs.Add((r - 1, c - 1));
            }
        }

        return pairs;
    }

    /// <summary>The classic potentials formulation on a 1-based square matrix; returns the row assigned to each column.</summary>
    private static int[] Hungarian(double[,] a, int n)
    {
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            var minv = new double[n + 1];
            var used = new bool[n + 1];
            Array.Fill(minv, double.PositiveInfinity);
            do
            {
                used[j0] = true;
                var i0 = p[j0];
                var delta = double.PositiveInfinity;
                var j1 = 0;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }

                    var cur = a[i0, j] - u[i0] - v[j];
                    if (cur < minv[j])
                    {
                        minv[j] = cur;
                        way[j] = j0;
                    }

                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }

                for (var j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (p[j0] != 0);

            do
            {
                var j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        return p;
    }
}

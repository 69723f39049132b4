using FaceObject.Core.Results;

namespace FaceObject.Tracking;

/// <summary>
/// A constant-velocity Kalman filter on a box as (centre x, centre y, aspect w/h, height) and their velocities per
/// step, with ByteTrack's noise model: uncertainty proportional to the box height, so near and far objects are
/// treated alike. One instance per track; not thread-safe.
/// </summary>
internal sealed class KalmanBoxFilter
{
    private const int Dim = 4;
    private const double PositionWeight = 1.0 / 20;
    private const double VelocityWeight = 1.0 / 160;

    private readonly double[] _mean = new double[2 * Dim];
    private readonly double[,] _covariance = new double[2 * Dim, 2 * Dim];

    public KalmanBoxFilter(BoundingBox box)
    {
        var z = Measure(box);
        Array.Copy(z, _mean, Dim);
        var h = z[3];
        double[] std =
        [
            2 * PositionWeight * h, 2 * PositionWeight * h, 1e-2, 2 * PositionWeight * h,
            10 * VelocityWeight * h, 10 * VelocityWeight * h, 1e-5, 10 * VelocityWeight * h,
        ];
        for (var i = 0; i < 2 * Dim; i++)
        {
            _covariance[i, i] = std[i] * std[i];
        }
    }

    /// <summary>The estimated box now.</summary>
    public BoundingBox Box
    {
        get
        {
            var h = Math.Max(_mean[3], 1e-3);
            var w = _mean[2] * h;
            return new BoundingBox((float)(_mean[0] - w / 2), (float)(_mean[1] - h / 2), (float)(_mean[0] + w / 2), (float)(_mean[1] + h / 2));
        }
    }

    /// <summary>
    /// Moves the estimate one step ahead at its velocity and grows its uncertainty. With <paramref name="holdSize"/>
    /// (the object is not seen: ByteTrack does the same) its size stays as last estimated: boxes of an object sliding
    /// behind something shrink, and that shrinking must not carry on while it is hidden.
    /// </summary>
    public void Predict(bool holdSize)
    {
        if (holdSize)
        {
            _mean[Dim + 2] = 0;
            _mean[Dim + 3] = 0;
        }

        var h = _mean[3];
        double[] std = [PositionWeight * h, PositionWeight * h, 1e-2, PositionWeight * h, VelocityWeight * h, VelocityWeight * h, 1e-5, VelocityWeight * h];
        for (var i = 0; i < Dim; i++)
        {
            _mean[i] += _mean[i + Dim];
        }

        // P = F P F^T + Q, with F = [[I, I], [0, I]].
        var next = new double[2 * Dim, 2 * Dim];
        for (var r = 0; r < 2 * Dim; r++)
        {
            for (var c = 0; c < 2 * Dim; c++)
            {
                var value = _covariance[r, c];
                if (r < Dim)
                {
                    value += _covariance[r + Dim, c];
                }

                if (c < Dim)
                {
                    value += _covariance[r, c + Dim];
                }

                if (r < Dim && c < Dim)
                {
                    value += _covariance[r + Dim, c + Dim];
                }

                next[r, c] = value;
            }
        }

        for (var i = 0; i < 2 * Dim; i++)
        {
            next[i, i] += std[i] * std[i];
        }

        Array.Copy(next, _covariance, next.Length);
    }

    /// <summary>Corrects the estimate with a measured box.</summary>
    public void Update(BoundingBox box)
    {
        var z = Measure(box);
        var h = _mean[3];
        double[] std = [PositionWeight * h, PositionWeight * h, 1e-1, PositionWeight * h];

        // S = H P H^T + R, where H picks the first four state entries.
        var s = new double[Dim, Dim];
        for (var r = 0; r < Dim; r++)
        {
            for (var c = 0; c < Dim; c++)
            {
                s[r, c] = _covariance[r, c];
            }

            s[r, r] += std[r] * std[r];
        }

        var sInverse = Invert(s);

        // K = P H^T S^-1 (8x4).
        var gain = new double[2 * Dim, Dim];
        for (var r = 0; r < 2 * Dim; r++)
        {
            for (var c = 0; c < Dim; c++)
            {
                double sum = 0;
                for (var k = 0; k < Dim; k++)
                {
                    sum += _covariance[r, k] * sInverse[k, c];
                }

                gain[r, c] = sum;
            }
        }

        var innovation = new double[Dim];
        for (var i = 0; i < Dim; i++)
        {
            innovation[i] = z[i] - _mean[i];
        }

        for (var r = 0; r < 2 * Dim; r++)
        {
            for (var k = 0; k < Dim; k++)
            {
                _mean[r] += gain[r, k] * innovation[k];
            }
        }

        // P = P - K H P (the rows of H P are the first four rows of P).
        var next = new double[2 * Dim, 2 * Dim];
        for (var r = 0; r < 2 * Dim; r++)
        {
            for (var c = 0; c < 2 * Dim; c++)
            {
                double sum = 0;
                for (var k = 0; k < Dim; k++)
                {
                    sum += gain[r, k] * _covariance[k, c];
                }

                next[r, c] = _covariance[r, c] - sum;
            }
        }

        Array.Copy(next, _covariance, next.Length);
    }

    private static double[] Measure(BoundingBox box)
    {
        var w = Math.Max(box.Width, 1e-3f);
        var h = Math.Max(box.Height, 1e-3f);
        return [box.X1 + w / 2.0, box.Y1 + h / 2.0, w / (double)h, h];
    }

    /// <summary>Gauss-Jordan inverse of a small symmetric positive-definite matrix.</summary>
    private static double[,] Invert(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var inverse = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            inverse[i, i] = 1;
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            for (var c = 0; c < n; c++)
            {
                (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
                (inverse[col, c], inverse[pivot, c]) = (inverse[pivot, c], inverse[col, c]);
            }

            var scale = a[col, col];
            for (var c = 0; c < n; c++)
            {
                a[col, c] /= scale;
                inverse[col, c] /= scale;
            }

            for (var r = 0; r < n; r++)
            {
                if (r == col)
                {
                    continue;
                }

                var factor = a[r, col];
                for (var c = 0; c < n; c++)
                {
                    a[r, c] -= factor * a[col, c];
                    inverse[r, c] -= factor * inverse[col, c];
                }
            }
        }

        return inverse;
    }
}

using FaceObject.Core.Results;
using OpenCvSharp;

namespace FaceObject.Testing;

/// <summary>Pixel statistics for asserting what blurring and drawing did to an image (inference and integration tests).</summary>
public static class ImageStatistics
{
    /// <summary>The box's pixels, shrunk to whole pixels inside the image.</summary>
    public static Rect Inside(BoundingBox box, Mat image) =>
        Rect.FromLTRB((int)MathF.Ceiling(box.X1), (int)MathF.Ceiling(box.Y1), (int)MathF.Floor(box.X2), (int)MathF.Floor(box.Y2))
        & new Rect(0, 0, image.Width, image.Height);

    /// <summary>Variance of the Laplacian of the grey image over <paramref name="region"/>: high where there are edges and texture.</summary>
    public static double LaplacianVariance(Mat image, Rect region)
    {
        using var roi = new Mat(image, region);
        using var grey = new Mat();
        using var laplacian = new Mat();
        Cv2.CvtColor(roi, grey, ColorConversionCodes.BGR2GRAY);
        Cv2.Laplacian(grey, laplacian, MatType.CV_64F);
        Cv2.MeanStdDev(laplacian, out _, out var stddev);
        return stddev.Val0 * stddev.Val0;
    }

    /// <summary>Mean absolute difference per channel value over <paramref name="region"/> of two images of one size.</summary>
    public static double MeanAbsoluteDifference(Mat a, Mat b, Rect region)
    {
        using var roiA = new Mat(a, region);
        using var roiB = new Mat(b, region);
        using var difference = new Mat();
        Cv2.Absdiff(roiA, roiB, difference);
        var mean = Cv2.Mean(difference);
        return (mean.Val0 + mean.Val1 + mean.Val2) / 3;
    }

    /// <summary>A <paramref name="size"/> square that stays at least half its size away from every box.</summary>
    public static Rect FarFrom(IEnumerable<BoundingBox> boxes, Mat image, int size)
    {
        var margins = boxes.Select(b => Rect.FromLTRB(
            (int)b.X1 - size / 2, (int)b.Y1 - size / 2, (int)b.X2 + size / 2, (int)b.Y2 + size / 2)).ToList();
        var (width, height) = (image.Width, image.Height);
        for (var y = 0; y + size <= height; y += size / 2)
        {
            for (var x = 0; x + size <= width; x += size / 2)
            {
                var candidate = new Rect(x, y, size, size);
                if (!margins.Any(m => m.IntersectsWith(candidate)))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"No {size}x{size} region of the {width}x{height} image is away from every box.");
    }
}

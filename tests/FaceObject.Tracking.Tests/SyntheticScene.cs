using FaceObject.Core.Results;
using FaceObject.Testing.Mot;

namespace FaceObject.Tracking.Tests;

/// <summary>
/// True boxes of a scripted scene at 5 frames a second, 640x360: two people crossing, a dog that stops and goes on,
/// a horse hidden for half a second, and a person who leaves for 3 s and comes back (a new true id: longer than any
/// sensible lost-track buffer). <see cref="Detections"/> adds position noise, random misses and scores.
/// </summary>
internal static class SyntheticScene
{
    public const double Fps = 5;
    public const int Frames = 150;

    private static readonly (int Id, int ClassId, string ClassName, Func<double, BoundingBox?> At)[] Objects =
    [
        (1, 0, "person", t => t <= 12 ? Box(Lerp(40, 560, t / 12), 150, 60, 150) : null),
        (2, 0, "person", t => t <= 12 ? Box(Lerp(560, 40, t / 12), 180, 60, 150) : null),
        (3, 16, "dog", t => t switch
        {
            <= 5 => Box(Lerp(100, 300, t / 5), 280, 80, 60),
            <= 10 => Box(300, 280, 80, 60),
            <= 15 => Box(Lerp(300, 500, (t - 10) / 5), 280, 80, 60),
            _ => null,
        }),
        (4, 17, "horse", t => t is >= 15 and <= 25 && t is not (> 19.0 and < 19.5) ? Box(Lerp(100, 500, (t - 15) / 10), 60, 120, 90) : null),
        (5, 0, "person", t => t is >= 16 and <= 20 ? Box(Lerp(560, 450, (t - 16) / 4), 120, 50, 130) : null),
        (6, 0, "person", t => t is >= 23 and <= 28 ? Box(Lerp(450, 300, (t - 23) / 5), 120, 50, 130) : null),
    ];

    /// <summary>The ground truth in MOT rows (frames from 1).</summary>
    public static IReadOnlyList<MotBox> Truth() =>
        [.. Enumerable.Range(0, Frames).SelectMany(f => Objects
            .Select(o => (o, box: o.At(f / Fps)))
            .Where(x => x.box is not null)
            .Select(x => new MotBox(f + 1, x.o.Id, x.box!.Value, x.o.ClassId)))];

    public static int TrueObjects => Objects.Length;

    /// <summary>Frame <paramref name="frame"/>'s detections: each true box moved by Gaussian noise (σ in pixels), missed with probability <paramref name="missRate"/>.</summary>
    public static IReadOnlyList<Detection> Detections(int frame, Random random, double noise, double missRate)
    {
        var detections = new List<Detection>();
        foreach (var (_, classId, className, at) in Objects)
        {
            if (at(frame / Fps) is not { } box || random.NextDouble() < missRate)
            {
                continue;
            }

            float Jitter() => (float)(noise * Gaussian(random));
            detections.Add(new Detection(classId, className, 0.6f + (float)random.NextDouble() * 0.35f,
                new BoundingBox(box.X1 + Jitter(), box.Y1 + Jitter(), box.X2 + Jitter(), box.Y2 + Jitter())));
        }

        return detections;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static BoundingBox Box(double x, double y, double w, double h) => new((float)x, (float)y, (float)(x + w), (float)(y + h));

    private static double Lerp(double from, double to, double t) => from + (to - from) * t;
}

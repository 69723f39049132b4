using FaceObject.Core.Results;
using FaceObject.Testing.Mot;
using OpenCvSharp;

namespace FaceObject.Testing.Scenes;

/// <summary>
/// A scripted scene with ground truth: crops of real objects from the test images move over a plain backdrop at 640x360,
/// 15 fps, 23 s. Two people cross (one hides most of the other for about a second), a dog walks, stops and walks on
/// past a low post, a horse passes the post partly hidden, and a person leaves and comes back 3 s later (a new true id:
/// longer than the tracker's lost-track buffer). A car flashes for one frame (a one-frame false positive, not in the
/// truth). The last 3 s are empty, so every track ends before the clip loops. People walk in the upper half and
/// animals in the lower, so one sprite never covers another of a different class (the detector, not the tracker,
/// would lose it). Deterministic; generated once per run.
/// </summary>
public static class Scene
{
    public const int Width = 640;
    public const int Height = 360;
    public const int Fps = 15;
    public const double Seconds = 23;

    /// <summary>The frame (from 0) where the one-frame car appears.</summary>
    public const int FlashFrame = 100;

    private static readonly Lazy<SceneClip> Generated = new(() => Write(Path.Combine(Path.GetTempPath(), $"faceobject-scene-{Environment.ProcessId}")));

    private static readonly Rect Post = new(440, 230, 24, Height - 230);

    /// <summary>The scene, generated on first use into a temporary directory.</summary>
    public static SceneClip Clip => Generated.Value;

    private static SceneClip Write(string directory)
    {
        Directory.CreateDirectory(directory);
        using var person = Sprite("person.jpg", new Rect(188, 97, 89, 275), 0.65);
        using var dog = Sprite("dog.jpg", new Rect(132, 206, 194, 337), 0.4);
        using var horse = Sprite("person.jpg", new Rect(404, 138, 199, 205), 0.6);
        using var car = Sprite("dog.jpg", new Rect(466, 78, 227, 94), 0.6);
        (int Id, int ClassId, string Name, Mat Sprite, Func<double, Point?> At)[] actors =
        [
            (1, 0, "person", person, t => t < 10 ? P(Lerp(20, 520, t / 10), 20) : null),
            (2, 0, "person", person, t => t < 10 ? P(Lerp(520, 20, t / 10), 45) : null),
            (3, 16, "dog", dog, t => t switch
            {
                < 2 => null,
                < 6 => P(Lerp(60, 150, (t - 2) / 4), 230),
                < 10 => P(150, 230),
                < 14 => P(Lerp(150, 480, (t - 10) / 4), 230),
                _ => null,
            }),
            (4, 17, "horse", horse, t => t is >= 14.5 and < 20 ? P(Lerp(520, 30, (t - 14.5) / 5.5), 225) : null),
            (5, 0, "person", person, t => t is >= 12 and < 15 ? P(Lerp(580, 500, (t - 12) / 3), 20) : null),
            (6, 0, "person", person, t => t is >= 18 and < 20 ? P(Lerp(500, 560, (t - 18) / 2), 20) : null),
        ];

        var frames = (int)(Seconds * Fps);
        var truth = new List<MotBox>();
        var pattern = Path.Combine(directory, "frame%05d.jpg");
        var mp4 = Path.Combine(directory, "scene.mp4");
        using var backdrop = Backdrop();
        using var writer = new VideoWriter(mp4, FourCC.MP4V, Fps, new Size(Width, Height));
        for (var f = 0; f < frames; f++)
        {
            using var frame = backdrop.Clone();
            var t = f / (double)Fps;
            foreach (var (id, classId, _, sprite, at) in actors)
            {
                if (at(t) is not { } position)
                {
                    continue;
                }

                var box = Paste(frame, sprite, position);
                var visible = Visible(box);
                if (visible > 0.5)
                {
                    truth.Add(new MotBox(f + 1, id, new BoundingBox(box.Left, box.Top, box.Right, box.Bottom), classId, (float)visible));
                }
            }

            if (f == FlashFrame)
            {
                Paste(frame, car, new Point(495, 250));
            }

            // The post stands in front of everything.
            frame[Post].SetTo(new Scalar(70, 80, 90));
            Cv2.ImWrite(Path.Combine(directory, $"frame{f:D5}.jpg"), frame, [(int)ImwriteFlags.JpegQuality, 90]);
            writer.Write(frame);
        }

        MotFile.Write(Path.Combine(directory, "gt.txt"), truth);
        var objects = actors.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Count());
        return new SceneClip(pattern, mp4, Fps, frames, truth, objects);
    }

    /// <summary>The share of <paramref name="box"/> not behind the post.</summary>
    private static double Visible(Rect box)
    {
        var hidden = box & Post;
        return 1 - (double)hidden.Width * hidden.Height / (box.Width * box.Height);
    }

    private static Rect Paste(Mat frame, Mat sprite, Point at)
    {
        var box = new Rect(at.X, at.Y, sprite.Width, sprite.Height) & new Rect(0, 0, Width, Height);
        using var target = new Mat(frame, box);
        using var source = new Mat(sprite, new Rect(0, 0, box.Width, box.Height));
        source.CopyTo(target);
        return box;
    }

    private static Mat Sprite(string image, Rect crop, double scale)
    {
        using var source = Cv2.ImRead(TestPaths.Image(image), ImreadModes.Color);
        using var region = new Mat(source, crop);
        var sprite = new Mat();
        Cv2.Resize(region, sprite, new Size(0, 0), scale, scale, InterpolationFlags.Area);
        return sprite;
    }

    /// <summary>A soft vertical gradient: nothing the model could take for an object.</summary>
    private static Mat Backdrop()
    {
        using var column = new Mat(Height, 1, MatType.CV_8UC3);
        for (var y = 0; y < Height; y++)
        {
            var shade = (byte)(150 + 60 * y / Height);
            column.Set(y, 0, new Vec3b((byte)(shade - 20), shade, (byte)(shade - 10)));
        }

        var backdrop = new Mat();
        Cv2.Resize(column, backdrop, new Size(Width, Height), interpolation: InterpolationFlags.Nearest);
        return backdrop;
    }

    private static Point P(double x, double y) => new((int)Math.Round(x), (int)Math.Round(y));

    private static double Lerp(double from, double to, double t) => from + (to - from) * t;
}

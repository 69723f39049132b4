using System.Globalization;
using FaceObject.Core.Results;

namespace FaceObject.Testing.Mot;

/// <summary>MOT text rows: <c>frame,id,x,y,w,h,conf,class_id,visibility</c> (MOT17 ground-truth layout), frames from 1.</summary>
public static class MotFile
{
    public static IReadOnlyList<MotBox> Read(string path) => [.. File.ReadLines(path).Where(l => l.Length > 0).Select(Parse)];

    public static void Write(string path, IEnumerable<MotBox> boxes) => File.WriteAllLines(path, boxes.OrderBy(b => b.Frame).ThenBy(b => b.Id).Select(Format));

    public static MotBox Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var f = line.Split(',');
        float F(int i) => float.Parse(f[i], CultureInfo.InvariantCulture);
        var (x, y, w, h) = (F(2), F(3), F(4), F(5));
        return new MotBox(int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), new BoundingBox(x, y, x + w, y + h),
            f.Length > 7 ? int.Parse(f[7], CultureInfo.InvariantCulture) : -1, f.Length > 8 ? F(8) : 1);
    }

    public static string Format(MotBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        return string.Create(CultureInfo.InvariantCulture,
            $"{box.Frame},{box.Id},{box.Box.X1:F1},{box.Box.Y1:F1},{box.Box.Width:F1},{box.Box.Height:F1},1,{box.ClassId},{box.Visibility:F2}");
    }
}

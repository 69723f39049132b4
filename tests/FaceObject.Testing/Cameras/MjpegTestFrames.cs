using OpenCvSharp;

namespace FaceObject.Testing.Cameras;

/// <summary>
/// JPEG frames for the test cameras: a real test image (../shared/testdata/images) resized to the asked size, with
/// the frame's index written on it, so consecutive frames differ. Encoded once; the cameras cycle through them.
/// </summary>
public static class MjpegTestFrames
{
    public static IReadOnlyList<byte[]> Create(int width, int height, int count = 8, string image = "horses.jpg")
    {
        using var source = Cv2.ImRead(TestPaths.Image(image), ImreadModes.Color);
        var frames = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            using var frame = source.Resize(new Size(width, height));
            Cv2.PutText(frame, $"#{i}", new Point(10, Math.Min(height - 10, 40)), HersheyFonts.HersheySimplex, 1.2, Scalar.Yellow, 2);
            frames.Add(frame.ImEncode(".jpg", new ImageEncodingParam(ImwriteFlags.JpegQuality, 80)));
        }

        return frames;
    }
}

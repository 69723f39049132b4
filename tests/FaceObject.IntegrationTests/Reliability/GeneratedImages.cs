using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.IntegrationTests.Reliability;

/// <summary>Valid JPEGs made at test time from the real test images, so no large binary is committed.</summary>
internal static class GeneratedImages
{
    /// <summary>
    /// A test image scaled to <paramref name="width"/> x <paramref name="height"/>. At 7000x6000 (42 MP, a few MB)
    /// decoding alone keeps a worker busy for the better part of a second, long enough to act while it runs.
    /// </summary>
    public static byte[] Scaled(string testImage, int width, int height, int quality = 90)
    {
        using var source = Cv2.ImRead(TestPaths.Image(testImage), ImreadModes.Color);
        using var scaled = new Mat();
        Cv2.Resize(source, scaled, new Size(width, height), interpolation: InterpolationFlags.Linear);
        Cv2.ImEncode(".jpg", scaled, out var bytes, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return bytes;
    }
}

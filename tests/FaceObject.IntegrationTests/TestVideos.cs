using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.IntegrationTests;

/// <summary>Videos made from the real test images, for tests that need more than the 6-second slideshow.</summary>
internal static class TestVideos
{
    private static readonly string[] Images = ["dog.jpg", "giraffe.jpg", "horses.jpg", "faces_3.jpg", "eagle.jpg", "person.jpg"];

    /// <summary>
    /// Writes an MPEG-4 video of <paramref name="frames"/> frames at 10 fps, 320x240, showing the test images in
    /// turn for one second each, and returns its bytes. Small frames keep decoding cheap; the model's input size,
    /// not the frame size, sets the inference cost per frame.
    /// </summary>
    public static byte[] Slideshow(int frames)
    {
        var directory = Directory.CreateTempSubdirectory("faceobject-testvideo-");
        try
        {
            var path = Path.Combine(directory.FullName, "long.mp4");
            var size = new Size(320, 240);
            var pictures = Images.Select(name =>
            {
                using var decoded = Cv2.ImDecode(TestPaths.ImageBytes(name), ImreadModes.Color);
                var resized = new Mat();
                Cv2.Resize(decoded, resized, size);
                return resized;
            }).ToList();
            try
            {
                using (var writer = new VideoWriter(path, FourCC.MP4V, 10, size))
                {
                    if (!writer.IsOpened())
                    {
                        throw new InvalidOperationException("OpenCV cannot write MPEG-4 video here.");
                    }

                    for (var i = 0; i < frames; i++)
                    {
                        writer.Write(pictures[i / 10 % pictures.Count]);
                    }
                }

                return File.ReadAllBytes(path);
            }
            finally
            {
                pictures.ForEach(p => p.Dispose());
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

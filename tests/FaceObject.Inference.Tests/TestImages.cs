using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests;

internal static class TestImages
{
    public static readonly string[] All =
    [
        "dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg", "person.jpg",
        "faces_1.jpg", "faces_2.jpg", "faces_3.jpg", "faces_6.jpg", "faces_10.jpg",
    ];

    /// <summary>Decodes a test image the way the worker does; the caller disposes it.</summary>
    public static Mat Load(string file) => ImageDecoder.Decode(TestPaths.ImageBytes(file));
}

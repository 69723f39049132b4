using OpenCvSharp;

namespace FaceObject.Inference.Runtime;

/// <summary>
/// How many threads OpenCV may use inside one call (JPEG decoding, resizing, colour conversion). Its default is one
/// per core, on top of every worker thread that is already running an image of its own: on 2 cores with 4 worker
/// threads that oversubscription cost face320 about a sixth of its throughput (docs/performance.md, issue 14).
/// Process-wide, as OpenCV's setting is.
/// </summary>
public static class ImageThreads
{
    public static void Limit(int threads) => Cv2.SetNumThreads(Math.Max(1, threads));
}

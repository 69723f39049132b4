using FaceObject.Inference.Runtime;
using OpenCvSharp;

namespace FaceObject.Inference.Tests;

public sealed class ImageThreadsTests
{
    [Fact]
    public void Limit_SetsOpenCvsThreadCount_AndNeverBelowOne()
    {
        var before = Cv2.GetNumThreads();
        try
        {
            ImageThreads.Limit(1);
            Cv2.GetNumThreads().Should().Be(1);

            ImageThreads.Limit(0);
            Cv2.GetNumThreads().Should().Be(1, "0 would hand the choice back to OpenCV, which takes every core");
        }
        finally
        {
            Cv2.SetNumThreads(before);
        }
    }
}

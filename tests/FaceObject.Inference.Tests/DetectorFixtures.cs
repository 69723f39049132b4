using FaceObject.Core.Models;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceObject.Inference.Tests;

/// <summary>A real model loaded once per test class that uses it; disposed when the class is done.</summary>
public abstract class DetectorFixture : IDisposable
{
    protected DetectorFixture(string key, ModelOptions options)
    {
        Detector = new DetectorFactory(NullLoggerFactory.Instance).Create(key, options);
    }

    public IObjectDetector Detector { get; }

    public void Dispose()
    {
        Detector.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class YoloxNanoFixture() : DetectorFixture("object", new ModelOptions
{
    Type = "yolox",
    Path = TestPaths.Model("yolox_nano.onnx"),
    Labels = TestPaths.Model("coco.names"),
    Device = "cpu",
});

public sealed class UltraFace640Fixture() : DetectorFixture("face", new ModelOptions
{
    Type = "ultraface",
    Path = TestPaths.Model("version-RFB-640.onnx"),
    Device = "cpu",
});

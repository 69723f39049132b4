using FaceObject.Core.Models;
using FaceObject.Inference;
using FaceObject.Processing.Models;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceObject.Processing.Tests;

/// <summary>The real face model (UltraFace 320) loaded as model "face", once per test class that uses it.</summary>
public sealed class FaceModelFixture : IDisposable
{
    public FaceModelFixture()
    {
        Models.Add(new DetectorFactory(NullLoggerFactory.Instance).Create("face", new ModelOptions
        {
            Type = "ultraface",
            Path = TestPaths.Model("version-RFB-320.onnx"),
            Device = "cpu",
        }));
        Models.MarkLoaded();
    }

    public LoadedModels Models { get; } = new();

    public void Dispose() => Models.Dispose();
}

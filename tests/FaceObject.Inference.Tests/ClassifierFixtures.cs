using FaceObject.Core.Models;
using FaceObject.Inference.Classification;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceObject.Inference.Tests;

/// <summary>A real classifier loaded once per test class that uses it; configured as shared/models/MODELS.md describes.</summary>
public abstract class ClassifierFixture : IDisposable
{
    protected ClassifierFixture(string key, ModelOptions options)
    {
        Classifier = new ClassifierFactory(NullLoggerFactory.Instance).Create(key, options);
    }

    public IImageClassifier Classifier { get; }

    public void Dispose()
    {
        Classifier.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class VehicleAttributesFixture() : ClassifierFixture("vehicle", ClassifierOptions.Vehicle());

public sealed class SqueezeNetFixture() : ClassifierFixture("imagenet", ClassifierOptions.SqueezeNet());

public sealed class AgeGenderFixture() : ClassifierFixture("age-gender", ClassifierOptions.AgeGender());

/// <summary>The three verified classifiers' configuration, as in docs/models.md.</summary>
public static class ClassifierOptions
{
    public static ModelOptions Vehicle() => new()
    {
        Type = "classifier",
        Path = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.onnx"),
        HeadLabels =
        {
            ["type"] = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.type.txt"),
            ["color"] = TestPaths.Model("vehicle-attributes-recognition-barrier-0039.color.txt"),
        },
        Device = "cpu",
    };

    public static ModelOptions SqueezeNet() => new()
    {
        Type = "classifier",
        Path = TestPaths.Model("squeezenet1.1-fp32.onnx"),
        Labels = TestPaths.Model("imagenet_labels.txt"),
        Mean = [104, 117, 123],
        Device = "cpu",
    };

    public static ModelOptions AgeGender() => new()
    {
        Type = "classifier",
        Path = TestPaths.Model("age-gender-recognition-retail-0013.onnx"),
        HeadLabels = { ["prob"] = TestPaths.Model("age-gender-recognition-retail-0013.gender.txt") },
        Device = "cpu",
    };
}

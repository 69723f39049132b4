using FaceObject.Core.Models;
using FaceObject.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FaceObject.Inference.Tests;

/// <summary>
/// What Device does with each ONNX Runtime package on a machine without a usable GPU. scripts/test.sh runs these
/// (Trait Flavour=both) a second time built with -p:OnnxRuntimeFlavor=Gpu, so the CUDA path is really tried: the
/// Gpu package has the CUDA provider, which then fails to load its CUDA libraries, and that reason is what the
/// warning and the start-up error name.
/// </summary>
[Trait("Flavour", "both")]
public sealed class DeviceFlavourTests
{
    private const string Flavour =
#if ONNXRUNTIME_GPU
        "Gpu";
#else
        "Cpu";
#endif

    // A property, not a const: both branches below must compile in either flavour.
    private static bool GpuPackage => Flavour == "Gpu";

    [Fact]
    public void TheBuildsOnnxRuntimeHasTheCudaProvider_OnlyInTheGpuFlavour()
    {
        OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider").Should().Be(GpuPackage);
    }

    [Fact]
    public void AutoFallsBackToCpuWithOneWarningNamingTheReason_WhenCudaCannotStart()
    {
        using var logs = new RecordingLoggerFactory();

        using var detector = new DetectorFactory(logs).Create("object", Yolox("auto"));
        using var image = TestImages.Load("dog.jpg");
        var detections = detector.Detect(image);

        detector.Info.Device.Should().Be("cpu", "the result and /api/models report the detector's Info.Device");
        detections.Should().Contain(d => d.ClassName == "dog", "the CPU session really runs the model");
        var warning = logs.Entries.Where(e => e.Level >= LogLevel.Warning).Should().ContainSingle().Subject.Message;
        warning.Should().Contain("object").And.Contain("running on the CPU");
        ShouldNameTheFlavoursReason(warning);
    }

    [Fact]
    public void CudaFailsTheLoadWithOneLineNamingTheReason_WhenCudaCannotStart()
    {
        var factory = new DetectorFactory(new RecordingLoggerFactory());

        var message = factory.Invoking(f => f.Create("object", Yolox("cuda"))).Should().Throw<ModelLoadException>().Which.Message;

        message.Should().Contain("'object'").And.Contain("Device is 'cuda' but the CUDA execution provider cannot start").And.NotContain("\n");
        ShouldNameTheFlavoursReason(message);
    }

    private static void ShouldNameTheFlavoursReason(string message)
    {
        if (GpuPackage)
        {
            // The provider library is there; what fails is loading it, since it links CUDA libraries this machine lacks.
            message.Should().NotContain("no CUDA provider").And.MatchRegex(@"libcu[a-zA-Z]*\.so\.\d+: cannot open shared object file");
        }
        else
        {
            message.Should().Contain("no CUDA provider").And.Contain("-p:OnnxRuntimeFlavor=Gpu");
        }
    }

    private static ModelOptions Yolox(string device) => new()
    {
        Type = "yolox",
        Path = TestPaths.Model("yolox_nano.onnx"),
        Labels = TestPaths.Model("coco.names"),
        Device = device,
    };
}

using FaceObject.Core.Models;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceObject.Inference.Tests;

public sealed class DetectorFactoryTests : IDisposable
{
    private readonly DetectorFactory _factory = new(NullLoggerFactory.Instance);
    private readonly string _tempDir = Directory.CreateTempSubdirectory("faceobject-tests-").FullName;

    public void Dispose() => Directory.Delete(_tempDir, recursive: true);

    [Fact]
    public void Create_ThrowsNamingKeyAndPath_WhenFileIsMissing()
    {
        var missing = Path.Combine(_tempDir, "nope.onnx");

        var act = () => _factory.Create("object", Yolox(missing));

        act.Should().Throw<ModelLoadException>()
            .Which.Message.Should().Contain("'object'").And.Contain(missing).And.Contain("does not exist").And.NotContain("\n");
    }

    [Fact]
    public void Create_ThrowsNotValidOnnx_WhenFileIsRandomBytes()
    {
        var path = Path.Combine(_tempDir, "random.onnx");
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var act = () => _factory.Create("object", Yolox(path));

        act.Should().Throw<ModelLoadException>()
            .Which.Message.Should().Contain("'object'").And.Contain(path).And.Contain("not a valid ONNX model").And.NotContain("\n");
    }

    [Fact]
    public void Create_ThrowsNamingExpectedAndFound_WhenYoloxFileIsLoadedAsUltraFace()
    {
        var path = TestPaths.Model("yolox_nano.onnx");

        var act = () => _factory.Create("face", new ModelOptions { Type = "ultraface", Path = path, Device = "cpu" });

        var message = act.Should().Throw<ModelLoadException>().Which.Message;
        message.Should().Contain("'face'").And.Contain(path).And.Contain("'ultraface'").And.NotContain("\n");
        message.Should().Contain("expected").And.Contain("'scores' float32[1,N,2]").And.Contain("'boxes' float32[1,N,4]");
        message.Should().Contain("the file has inputs images float32[1,3,416,416]; outputs output float32[1,3549,85]");
    }

    [Fact]
    public void Create_ThrowsNamingExpectedAndFound_WhenUltraFaceFileIsLoadedAsYolox()
    {
        var path = TestPaths.Model("version-RFB-320.onnx");

        var act = () => _factory.Create("object", Yolox(path));

        act.Should().Throw<ModelLoadException>()
            .Which.Message.Should().Contain("'yolox'").And.Contain("[1,N,5+classes]").And.Contain("scores float32[1,4420,2]");
    }

    [Fact]
    public void Create_ThrowsNamingExpectedAndFound_WhenYoloxFileIsLoadedAsUltralytics()
    {
        var path = TestPaths.Model("yolox_nano.onnx");

        var act = () => _factory.Create("object", new ModelOptions { Type = "ultralytics", Path = path, Labels = TestPaths.Model("coco.names"), Device = "cpu" });

        var message = act.Should().Throw<ModelLoadException>().Which.Message;
        message.Should().Contain("'object'").And.Contain(path).And.Contain("does not fit type 'ultralytics'").And.NotContain("\n");
        message.Should().Contain("expected one input float32[1,3,H,W]").And.Contain("output float32[1,4+classes,N]").And.Contain("8400 at 640x640");
        message.Should().Contain("the file has inputs images float32[1,3,416,416]; outputs output float32[1,3549,85]");
    }

    [Fact]
    public void Create_ThrowsNamingExpectedAndFound_WhenYoloxFileIsLoadedAsRtDetr()
    {
        var path = TestPaths.Model("yolox_nano.onnx");

        var act = () => _factory.Create("object", new ModelOptions { Type = "rtdetr", Path = path, Labels = TestPaths.Model("coco.names"), Device = "cpu" });

        var message = act.Should().Throw<ModelLoadException>().Which.Message;
        message.Should().Contain("'object'").And.Contain(path).And.Contain("does not fit type 'rtdetr'").And.NotContain("\n");
        message.Should().Contain("output float32[1,Q,4+classes] with Q object queries");
        message.Should().Contain("the file has inputs images float32[1,3,416,416]; outputs output float32[1,3549,85]");
    }

    [Fact]
    public void Create_ThrowsListingKnownTypes_WhenTypeIsUnknown()
    {
        var act = () => _factory.Create("object", new ModelOptions { Type = "yolov3", Path = TestPaths.Model("yolox_nano.onnx") });

        act.Should().Throw<ModelLoadException>().WithMessage("*'yolov3' is not known*rtdetr, ultraface, ultralytics, yolox*");
    }

    [Fact]
    public void Create_Throws_WhenDeviceIsNotValid()
    {
        var options = Yolox(TestPaths.Model("yolox_nano.onnx"));
        options.Device = "tpu";

        _factory.Invoking(f => f.Create("object", options)).Should().Throw<ModelLoadException>().WithMessage("*'tpu'*auto, cpu or cuda*");
    }

    [Fact]
    public void Create_ThrowsCountingBoth_WhenLabelsDoNotMatchClasses()
    {
        var labels = Path.Combine(_tempDir, "short.names");
        File.WriteAllLines(labels, File.ReadAllLines(TestPaths.Model("coco.names")).Take(79));
        var options = Yolox(TestPaths.Model("yolox_nano.onnx"));
        options.Labels = labels;

        _factory.Invoking(f => f.Create("object", options)).Should().Throw<ModelLoadException>()
            .Which.Message.Should().Contain(labels).And.Contain("79 class names").And.Contain("80 classes");
    }

    [Fact]
    public void Create_ThrowsNamingLabelsPath_WhenLabelsFileIsMissing()
    {
        var options = Yolox(TestPaths.Model("yolox_nano.onnx"));
        options.Labels = Path.Combine(_tempDir, "missing.names");

        _factory.Invoking(f => f.Create("object", options)).Should().Throw<ModelLoadException>()
            .WithMessage($"*labels file '{options.Labels}' does not exist*");
    }

    [Fact]
    public void Create_ThrowsAskingForLabels_WhenYoloxHasNoNames()
    {
        var options = Yolox(TestPaths.Model("yolox_nano.onnx"));
        options.Labels = null;

        _factory.Invoking(f => f.Create("object", options)).Should().Throw<ModelLoadException>().WithMessage("*no class names*Labels*");
    }

    [Fact]
    public void Create_UsesConfiguredThresholdsAndThreads_WhenSet()
    {
        var options = Yolox(TestPaths.Model("yolox_nano.onnx"));
        options.ScoreThreshold = 0.5f;
        options.NmsThreshold = 0.6f;
        options.IntraOpThreads = 2;

        using var detector = _factory.Create("object", options);

        detector.Info.Should().BeEquivalentTo(new { ScoreThreshold = 0.5f, NmsThreshold = 0.6f, IntraOpThreads = 2 });
    }

    [Fact]
    public void Create_ResolvesRelativePath_WhenGivenRelativeToSharedFolder()
    {
        // The layout of appsettings.json in development: ../shared beside the repository.
        var relative = Path.GetRelativePath(TestPaths.RepositoryRoot, TestPaths.Model("yolox_nano.onnx"));
        var options = Yolox(relative);

        using var detector = _factory.Create("object", options);

        detector.Info.Path.Should().Be(TestPaths.Model("yolox_nano.onnx"));
    }

    private static ModelOptions Yolox(string path) => new()
    {
        Type = "yolox",
        Path = path,
        Labels = TestPaths.Model("coco.names"),
        Device = "cpu",
    };
}

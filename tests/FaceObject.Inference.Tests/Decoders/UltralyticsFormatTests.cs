using FaceObject.Core.Models;
using FaceObject.Core.Results;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Decoders;

/// <summary>
/// Format tests: the <c>ultralytics</c> type run end to end (factory, session, pre-processing, decoder, NMS) on a
/// generated graph whose output is a known constant (FormatModels/make_format_models.py). They check that the
/// Ultralytics layout is read right and boxes land on the right original pixels; they say nothing about accuracy.
/// </summary>
public sealed class UltralyticsFormatTests
{
    private readonly DetectorFactory _factory = new(NullLoggerFactory.Instance);

    [Fact]
    public void UltralyticsFormat_DecodesKnownBoxesToOriginalPixels_WhenLandscapeIsLetterboxedCentred()
    {
        using var detector = _factory.Create("yolo", Options(FormatModels.Ultralytics));
        using var image = new Mat(64, 128, MatType.CV_8UC3, Scalar.All(90));

        var detections = detector.Detect(image);

        // 128x64 into 64x64: r = 0.5, resized 64x32, 16 rows of padding above. Point 0 is (cx 32, cy 32, 20x10)
        // in input pixels: x 22..42, y 27..37, so x 44..84 and y (27-16)/0.5 = 22 .. (37-16)/0.5 = 42.
        detections.Select(d => (d.ClassName, d.Confidence)).Should().Equal(("person", 0.9f), ("bicycle", 0.85f), ("car", 0.6f));
        detections[0].Bbox.Should().Be(new BoundingBox(44, 22, 84, 42));
        detections[1].Bbox.Should().Be(new BoundingBox(44, 22, 84, 42));
        detections[2].Bbox.Should().Be(new BoundingBox(104, 32, 120, 64));
    }

    [Fact]
    public void UltralyticsFormat_RemovesLeftPadding_WhenPortraitIsLetterboxedCentred()
    {
        using var detector = _factory.Create("yolo", Options(FormatModels.Ultralytics));
        using var image = new Mat(128, 64, MatType.CV_8UC3, Scalar.All(90));

        var person = detector.Detect(image).First(d => d.ClassName == "person");

        // 64x128: r = 0.5, resized 32x64, 16 columns of padding on the left.
        person.Bbox.Should().Be(new BoundingBox(12, 54, 52, 74));
    }

    [Fact]
    public void UltralyticsFormat_SuppressesOnlySameClassOverlap_WithPerClassNms()
    {
        using var detector = _factory.Create("yolo", Options(FormatModels.Ultralytics));
        using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));

        var detections = detector.Detect(image);

        // Points 0 and 1 are both person with IoU 0.9: one is left. Point 2 is bicycle on point 0's box: kept.
        detections.Count(d => d.ClassName == "person").Should().Be(1);
        detections.Single(d => d.ClassName == "bicycle").Bbox.Should().Be(detections.Single(d => d.ClassName == "person").Bbox);
        detector.Info.NmsThreshold.Should().Be(0.7f);
    }

    [Fact]
    public void UltralyticsFormat_KeepsBothOverlappingBoxes_WhenNmsThresholdIsAboveTheirIoU()
    {
        var options = Options(FormatModels.Ultralytics);
        options.NmsThreshold = 0.95f;
        using var detector = _factory.Create("yolo", options);
        using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));

        detector.Detect(image).Count(d => d.ClassName == "person").Should().Be(2);
    }

    [Fact]
    public void UltralyticsFormat_AppliesScoreThreshold_WhenCallerLowersIt()
    {
        using var detector = _factory.Create("yolo", Options(FormatModels.Ultralytics));
        using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));

        detector.Detect(image, scoreThreshold: 0.15f).Select(d => d.ClassName).Should().Contain("car").And.HaveCount(4);
    }

    [Fact]
    public void UltralyticsFormat_TakesClassNamesFromMetadata_WhenLabelsFileIsAlsoConfigured()
    {
        var options = Options(FormatModels.Ultralytics);
        options.Labels = TestPaths.Model("coco.names");

        using var detector = _factory.Create("yolo", options);

        detector.Info.ClassNames.Should().Equal("person", "bicycle", "car");
    }

    [Fact]
    public void UltralyticsFormat_TakesClassNamesFromLabels_WhenModelHasNoNamesMetadata()
    {
        var labels = Path.Combine(Path.GetTempPath(), $"format-{Guid.NewGuid():N}.names");
        File.WriteAllLines(labels, ["cat", "dog", "bird"]);
        try
        {
            var options = Options(FormatModels.UltralyticsWithoutNames);
            options.Labels = labels;

            using var detector = _factory.Create("yolo", options);
            using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));

            detector.Info.ClassNames.Should().Equal("cat", "dog", "bird");
            detector.Detect(image)[0].ClassName.Should().Be("cat");
        }
        finally
        {
            File.Delete(labels);
        }
    }

    [Fact]
    public void UltralyticsFormat_FailsAskingForLabels_WhenModelHasNoNamesAndNoLabels()
    {
        var act = () => _factory.Create("yolo", Options(FormatModels.UltralyticsWithoutNames));

        act.Should().Throw<ModelLoadException>().WithMessage("*'yolo'*no class names*Labels*");
    }

    [Fact]
    public void UltralyticsFormat_RunsAtConfiguredSize_WhenInputIsDynamic()
    {
        var options = Options(FormatModels.UltralyticsDynamic);
        options.InputWidth = 64;
        options.InputHeight = 64;
        using var detector = _factory.Create("yolo", options);
        using var image = new Mat(64, 128, MatType.CV_8UC3, Scalar.All(90));

        (detector.Info.InputWidth, detector.Info.InputHeight).Should().Be((64, 64));
        detector.Detect(image)[0].Bbox.Should().Be(new BoundingBox(44, 22, 84, 42));
    }

    [Fact]
    public void UltralyticsFormat_FailsNamingBothSettings_WhenInputIsDynamicAndSizeIsNotConfigured()
    {
        var act = () => _factory.Create("yolo", Options(FormatModels.UltralyticsDynamic));

        act.Should().Throw<ModelLoadException>().Which.Message.Should()
            .Contain("'yolo'").And.Contain("images float32[?,3,?,?]").And.Contain("dynamic H and W")
            .And.Contain("InputHeight and InputWidth").And.NotContain("\n");
    }

    [Fact]
    public void UltralyticsFormat_FailsNamingSetting_WhenConfiguredSizeContradictsTheFile()
    {
        var options = Options(FormatModels.Ultralytics);
        options.InputWidth = 640;

        var act = () => _factory.Create("yolo", options);

        act.Should().Throw<ModelLoadException>().WithMessage("*InputWidth 640 configured*images float32[1,3,64,64]*");
    }

    [Fact]
    public void UltralyticsFormat_FailsNamingExpectedAndFound_WhenLoadedAsRtDetr()
    {
        var act = () => _factory.Create("detr", new ModelOptions { Type = "rtdetr", Path = FormatModels.Ultralytics, Device = "cpu" });

        act.Should().Throw<ModelLoadException>().Which.Message.Should()
            .Contain("does not fit type 'rtdetr'").And.Contain("[1,Q,4+classes]").And.Contain("output0 float32[1,7,84]");
    }

    internal static ModelOptions Options(string path) => new() { Type = "ultralytics", Path = path, Device = "cpu" };
}

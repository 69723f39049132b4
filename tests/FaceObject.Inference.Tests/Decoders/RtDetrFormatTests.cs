using FaceObject.Core.Models;
using FaceObject.Core.Results;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Decoders;

/// <summary>
/// Format tests: the <c>rtdetr</c> type run end to end on a generated graph whose output is a known constant
/// (FormatModels/make_format_models.py): plain resize, normalised boxes, no NMS. Not an accuracy test.
/// </summary>
public sealed class RtDetrFormatTests
{
    private readonly DetectorFactory _factory = new(NullLoggerFactory.Instance);

    [Fact]
    public void RtDetrFormat_DecodesKnownBoxesToOriginalPixels_WhenImageIsStretched()
    {
        using var detector = _factory.Create("detr", Options());
        using var image = new Mat(64, 128, MatType.CV_8UC3, Scalar.All(90));

        var detections = detector.Detect(image);

        // Normalised boxes scale by the original size directly: query 0 is (0.5, 0.5, 0.2, 0.1) of 128x64.
        detections.Select(d => (d.ClassName, d.Confidence)).Should().Equal(("person", 0.9f), ("person", 0.8f), ("bicycle", 0.7f));
        Near(detections[0].Bbox, new BoundingBox(51.2f, 28.8f, 76.8f, 35.2f));
        Near(detections[1].Bbox, new BoundingBox(52.48f, 28.8f, 78.08f, 35.2f));
        Near(detections[2].Bbox, new BoundingBox(25.6f, 44.8f, 38.4f, 51.2f));
    }

    [Fact]
    public void RtDetrFormat_KeepsOverlappingSameClassBoxes_BecauseItRunsNoNms()
    {
        using var detector = _factory.Create("detr", Options());
        using var image = new Mat(64, 64, MatType.CV_8UC3, Scalar.All(0));

        var people = detector.Detect(image).Where(d => d.ClassName == "person").ToList();

        people.Should().HaveCount(2);
        people[0].Bbox.IoU(people[1].Bbox).Should().BeGreaterThan(0.9f, "a class-aware NMS at any usual IoU would have dropped one");
        detector.Info.NmsThreshold.Should().BeNull();
    }

    [Fact]
    public void RtDetrFormat_ReadsThreeClassNamesFromMetadata_WhenNoLabelsAreConfigured()
    {
        using var detector = _factory.Create("detr", Options());

        detector.Info.ClassNames.Should().Equal("person", "bicycle", "car");
        (detector.Info.Type, detector.Info.InputWidth, detector.Info.InputHeight, detector.Info.ScoreThreshold)
            .Should().Be(("rtdetr", 64, 64, 0.25f));
    }

    [Fact]
    public void RtDetrFormat_FailsNamingExpectedAndFound_WhenLoadedAsUltralytics()
    {
        var act = () => _factory.Create("yolo", new ModelOptions { Type = "ultralytics", Path = FormatModels.RtDetr, Device = "cpu" });

        act.Should().Throw<ModelLoadException>().Which.Message.Should()
            .Contain("does not fit type 'ultralytics'").And.Contain("[1,4+classes,N]").And.Contain("output0 float32[1,300,7]");
    }

    private static void Near(BoundingBox actual, BoundingBox expected)
    {
        actual.X1.Should().BeApproximately(expected.X1, 1e-3f);
        actual.Y1.Should().BeApproximately(expected.Y1, 1e-3f);
        actual.X2.Should().BeApproximately(expected.X2, 1e-3f);
        actual.Y2.Should().BeApproximately(expected.Y2, 1e-3f);
    }

    private static ModelOptions Options() => new() { Type = "rtdetr", Path = FormatModels.RtDetr, Device = "cpu" };
}

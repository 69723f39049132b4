using FaceObject.Core.Results;
using FaceObject.Inference.Rendering;
using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.Inference.Tests.Rendering;

public sealed class DetectionRendererTests(UltraFace640Fixture faces, YoloxNanoFixture objects)
    : IClassFixture<UltraFace640Fixture>, IClassFixture<YoloxNanoFixture>
{
    [Fact]
    public void Blur_RemovesFaceDetail_WhenFacesSixIsBlurredOnDetectedFaces()
    {
        using var original = TestImages.Load("faces_6.jpg");
        var detected = faces.Detector.Detect(original);
        using var blurred = original.Clone();

        DetectionRenderer.Blur(blurred, detected.Select(d => d.Bbox));

        detected.Should().HaveCountGreaterThanOrEqualTo(12);
        foreach (var face in detected)
        {
            var region = ImageStatistics.Inside(face.Bbox, original);
            var before = ImageStatistics.LaplacianVariance(original, region);
            var after = ImageStatistics.LaplacianVariance(blurred, region);
            after.Should().BeLessThan(before / 20, $"the face at {face.Bbox} must lose its edges (sharpness {before:F1} before)");
        }

        faces.Detector.Detect(blurred).Should().HaveCountLessThan(detected.Count / 3, "the face model must not find most faces again");
    }

    [Fact]
    public void Blur_LeavesPixelsAwayFromBoxesUntouched_WhenBlurringFaces()
    {
        using var original = TestImages.Load("faces_6.jpg");
        var detected = faces.Detector.Detect(original);
        using var blurred = original.Clone();

        DetectionRenderer.Blur(blurred, detected.Select(d => d.Bbox));

        var far = ImageStatistics.FarFrom(detected.Select(d => d.Bbox), original, 64);
        ImageStatistics.MeanAbsoluteDifference(original, blurred, far).Should().Be(0);
    }

    [Fact]
    public void Blur_ClipsToImage_WhenBoxTouchesEdgesOrIsEmpty()
    {
        using var image = TestImages.Load("dog.jpg");
        using var copy = image.Clone();

        DetectionRenderer.Blur(image, [new BoundingBox(700, 500, 768, 576), new BoundingBox(10, 10, 10, 10)]);

        ImageStatistics.MeanAbsoluteDifference(copy, image, new Rect(0, 0, 300, 300)).Should().Be(0);
        ImageStatistics.MeanAbsoluteDifference(copy, image, new Rect(710, 510, 58, 66)).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Annotate_DrawsOnBoxEdgesAndKeepsSize_WhenDogDetectionsAreDrawn()
    {
        using var original = TestImages.Load("dog.jpg");
        var detections = objects.Detector.Detect(original);
        using var annotated = original.Clone();

        DetectionRenderer.Annotate(annotated, detections);

        (annotated.Width, annotated.Height, annotated.Type()).Should().Be((original.Width, original.Height, original.Type()));
        var dog = detections.First(d => d.ClassName == "dog").Bbox;
        var leftEdge = new Rect((int)dog.X1 - 1, (int)((dog.Y1 + dog.Y2) / 2), 3, 20);
        ImageStatistics.MeanAbsoluteDifference(original, annotated, leftEdge).Should().BeGreaterThan(20, "the box line is drawn there");
        var centre = new Rect((int)((dog.X1 + dog.X2) / 2) - 10, (int)((dog.Y1 + dog.Y2) / 2) - 10, 20, 20);
        ImageStatistics.MeanAbsoluteDifference(original, annotated, centre).Should().Be(0, "the inside of a box is not painted over");
    }

    [Fact]
    public void Annotate_KeepsLabelInsideImage_WhenBoxIsAtTopRightCorner()
    {
        using var blank = new Mat(100, 200, MatType.CV_8UC3, Scalar.All(0));
        using var image = blank.Clone();

        DetectionRenderer.Annotate(image, [new Detection(0, "a very long class name", 0.5f, new BoundingBox(150, 0, 200, 40))]);

        // The label could not go above the box nor past the right edge: it was moved inside and leftwards.
        ImageStatistics.MeanAbsoluteDifference(blank, image, new Rect(0, 0, 150, 30)).Should().BeGreaterThan(0);
        ImageStatistics.MeanAbsoluteDifference(blank, image, new Rect(0, 60, 140, 40)).Should().Be(0);
    }

    [Fact]
    public void EncodeJpeg_ReturnsJpegThatDecodesToSameSize_WhenImageIsAnnotated()
    {
        using var image = TestImages.Load("giraffe.jpg");
        DetectionRenderer.Annotate(image, objects.Detector.Detect(image));

        var jpeg = DetectionRenderer.EncodeJpeg(image);

        jpeg.AsSpan(0, 3).ToArray().Should().Equal(0xFF, 0xD8, 0xFF);
        using var decoded = ImageDecoder.Decode(jpeg);
        (decoded.Width, decoded.Height).Should().Be((500, 500));
    }
}

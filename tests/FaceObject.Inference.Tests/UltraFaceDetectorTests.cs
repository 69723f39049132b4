using FaceObject.Core.Models;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceObject.Inference.Tests;

/// <summary>UltraFace RFB-640 on the real test images; lower bounds from shared/testdata/EXPECTED.md.</summary>
public sealed class UltraFaceDetectorTests(UltraFace640Fixture fixture) : IClassFixture<UltraFace640Fixture>
{
    private readonly IObjectDetector _detector = fixture.Detector;

    [Theory]
    [InlineData("faces_1.jpg", 45)]
    [InlineData("faces_2.jpg", 4)]
    [InlineData("faces_3.jpg", 5)]
    [InlineData("faces_6.jpg", 12)]
    [InlineData("faces_10.jpg", 17)]
    public void Detect_FindsFaces_WhenGroupPhoto(string file, int minimumFaces)
    {
        using var image = TestImages.Load(file);

        var faces = _detector.Detect(image);

        faces.Count.Should().BeGreaterThanOrEqualTo(minimumFaces);
        faces.Should().OnlyContain(f => f.ClassId == 0 && f.ClassName == "face" && f.Confidence > 0.7f);
        faces.Should().BeInDescendingOrder(f => f.Confidence);
        faces.Should().OnlyContain(f =>
            f.Bbox.X1 >= 0 && f.Bbox.Y1 >= 0 && f.Bbox.X2 <= image.Width && f.Bbox.Y2 <= image.Height && f.Bbox.Area > 0);
    }

    [Theory]
    [InlineData("dog.jpg")]
    [InlineData("eagle.jpg")]
    [InlineData("giraffe.jpg")]
    public void Detect_FindsNoFace_WhenNoPeople(string file)
    {
        using var image = TestImages.Load(file);

        _detector.Detect(image).Should().BeEmpty();
    }

    [Fact]
    public void Detect_ReturnsFaceSizedBoxes_WhenGroupPhoto()
    {
        // Guards the scaling of normalised boxes back to original pixels: faces in faces_3 are small and roughly square.
        using var image = TestImages.Load("faces_3.jpg");

        var faces = _detector.Detect(image);

        faces.Should().OnlyContain(f => f.Bbox.Width < image.Width / 3f && f.Bbox.Height < image.Height / 2f);
        faces.Should().OnlyContain(f => f.Bbox.Height / f.Bbox.Width > 0.6f && f.Bbox.Height / f.Bbox.Width < 2.5f);
    }

    [Fact]
    public void Info_DescribesModel_WhenLoadedWithDefaults()
    {
        _detector.Info.Should().BeEquivalentTo(new
        {
            Type = "ultraface",
            InputWidth = 640,
            InputHeight = 480,
            ScoreThreshold = 0.7f,
            NmsThreshold = 0.3f,
            Device = "cpu",
        });
        _detector.Info.ClassNames.Should().Equal("face");
    }

    [Fact]
    public void Detect_FindsFaces_WhenSmallRfb320Model()
    {
        using var detector = new DetectorFactory(NullLoggerFactory.Instance).Create("face320", new ModelOptions
        {
            Type = "ultraface",
            Path = TestPaths.Model("version-RFB-320.onnx"),
            Device = "cpu",
        });
        using var image = TestImages.Load("faces_3.jpg");

        (detector.Info.InputWidth, detector.Info.InputHeight).Should().Be((320, 240));
        detector.Detect(image).Should().NotBeEmpty();
    }
}

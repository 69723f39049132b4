using FaceObject.Core.Results;
using FaceObject.Testing;

namespace FaceObject.Inference.Tests;

/// <summary>yolox_nano on the real test images; expectations from shared/testdata/EXPECTED.md.</summary>
public sealed class YoloxDetectorTests(YoloxNanoFixture fixture) : IClassFixture<YoloxNanoFixture>
{
    private readonly IObjectDetector _detector = fixture.Detector;

    [Theory]
    [InlineData("dog.jpg", new[] { "dog", "bicycle", "car" })]
    [InlineData("eagle.jpg", new[] { "bird" })]
    [InlineData("giraffe.jpg", new[] { "giraffe", "zebra" })]
    [InlineData("horses.jpg", new[] { "horse" })]
    [InlineData("person.jpg", new[] { "person", "dog", "horse" })]
    public void Detect_FindsExpectedClasses_WhenDarknetImage(string file, string[] classes)
    {
        var detections = Detect(file);

        detections.Select(d => d.ClassName).Should().Contain(classes);
    }

    [Fact]
    public void Detect_FindsAtLeastThreeHorses_WhenHorsesImage()
    {
        Detect("horses.jpg").Count(d => d.ClassName == "horse").Should().BeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [InlineData("faces_1.jpg", 10)]
    [InlineData("faces_2.jpg", 3)]
    [InlineData("faces_3.jpg", 4)]
    [InlineData("faces_6.jpg", 11)]
    [InlineData("faces_10.jpg", 15)]
    public void Detect_FindsPeople_WhenGroupPhoto(string file, int minimumPeople)
    {
        Detect(file).Count(d => d.ClassName == "person").Should().BeGreaterThanOrEqualTo(minimumPeople);
    }

    [Theory]
    [MemberData(nameof(AllImages))]
    public void Detect_ReturnsBoxesInsideImageOrderedByConfidence_WhenAnyTestImage(string file)
    {
        using var image = TestImages.Load(file);

        var detections = _detector.Detect(image);

        detections.Should().NotBeEmpty();
        detections.Should().BeInDescendingOrder(d => d.Confidence);
        detections.Should().OnlyContain(d => d.Confidence >= 0.3f && d.Confidence <= 1f);
        detections.Should().OnlyContain(d => d.ClassName == _detector.Info.ClassNames[d.ClassId]);
        foreach (var box in detections.Select(d => d.Bbox))
        {
            box.X1.Should().BeInRange(0, box.X2);
            box.Y1.Should().BeInRange(0, box.Y2);
            box.X2.Should().BeLessThanOrEqualTo(image.Width);
            box.Y2.Should().BeLessThanOrEqualTo(image.Height);
            box.Area.Should().BePositive();
        }
    }

    [Fact]
    public void Detect_PlacesDogInLowerLeft_WhenDogImage()
    {
        // Guards the mapping back to original pixels: the dog sits in the lower-left of the 768x576 image.
        var dog = Detect("dog.jpg").First(d => d.ClassName == "dog");

        dog.Bbox.X1.Should().BeLessThan(200);
        dog.Bbox.Y1.Should().BeInRange(150, 300);
        dog.Bbox.X2.Should().BeInRange(250, 400);
        dog.Bbox.Y2.Should().BeGreaterThan(450);
    }

    [Fact]
    public void Detect_ReturnsUprightBoxes_WhenPhoneJpegStoresItSidewaysWithExifOrientation6()
    {
        using var upright = TestImages.Load("dog.jpg");
        var expected = _detector.Detect(upright).First(d => d.ClassName == "dog").Bbox;

        // A phone held upright stores the pixels turned 90 degrees anticlockwise and says "turn clockwise" in EXIF.
        using var stored = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Rotate(upright, stored, OpenCvSharp.RotateFlags.Rotate90Counterclockwise);
        var phoneJpeg = JpegExif.WithOrientation(ImageDecoderTests.Encode(".jpg", stored), orientation: 6);
        using var decoded = ImageDecoder.Decode(phoneJpeg);

        (decoded.Width, decoded.Height).Should().Be((768, 576));
        var dog = _detector.Detect(decoded).First(d => d.ClassName == "dog").Bbox;
        dog.IoU(expected).Should().BeGreaterThan(0.9f, $"the dog is at {expected} in the upright image, found {dog}");
    }

    [Fact]
    public void Detect_FindsDogBicycleAndCar_WhenJpegIsCmyk()
    {
        var cmyk = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "tests", "FaceObject.Inference.Tests", "Fixtures", "dog_cmyk.jpg"));
        using var image = ImageDecoder.Decode(cmyk);

        _detector.Detect(image).Select(d => d.ClassName).Should().Contain(["dog", "bicycle", "car"]);
    }

    [Fact]
    public void Detect_ReturnsFewerBoxes_WhenThresholdIsRaised()
    {
        using var image = TestImages.Load("faces_10.jpg");

        var loose = _detector.Detect(image, 0.1f);
        var strict = _detector.Detect(image, 0.8f);

        strict.Count.Should().BeLessThan(loose.Count);
        strict.Should().OnlyContain(d => d.Confidence >= 0.8f);
    }

    [Fact]
    public void Detect_FindsNothing_WhenImageIsBlank()
    {
        using var blank = new OpenCvSharp.Mat(300, 500, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.All(0));

        _detector.Detect(blank).Should().BeEmpty();
    }

    [Fact]
    public void Detect_Throws_WhenImageIsNotBgr()
    {
        using var gray = new OpenCvSharp.Mat(100, 100, OpenCvSharp.MatType.CV_8UC1, OpenCvSharp.Scalar.All(0));

        var act = () => _detector.Detect(gray);

        act.Should().Throw<ArgumentException>().WithMessage("*CV_8UC3*");
    }

    [Fact]
    public void WarmUp_DoesNotThrow_WhenModelLoaded()
    {
        _detector.Invoking(d => d.WarmUp()).Should().NotThrow();
    }

    [Fact]
    public void Info_DescribesModel_WhenLoadedWithDefaults()
    {
        _detector.Key.Should().Be("object");
        _detector.Info.Should().BeEquivalentTo(new
        {
            Type = "yolox",
            InputWidth = 416,
            InputHeight = 416,
            ScoreThreshold = 0.3f,
            NmsThreshold = 0.45f,
            Device = "cpu",
            IntraOpThreads = 1,
        });
        _detector.Info.ClassNames.Should().HaveCount(80).And.StartWith("person");
    }

    public static TheoryData<string> AllImages() => new(TestImages.All);

    private IReadOnlyList<Detection> Detect(string file)
    {
        using var image = TestImages.Load(file);
        return _detector.Detect(image);
    }
}

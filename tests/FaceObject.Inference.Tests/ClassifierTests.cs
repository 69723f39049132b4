using FaceObject.Inference.Classification;
using FaceObject.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace FaceObject.Inference.Tests;

/// <summary>
/// The three verified classifiers on crops of the real test images (boxes and expectations from
/// shared/models/MODELS.md: colours and dog breeds are asserted, the truck-or-car type is too close to call).
/// </summary>
public sealed class ClassifierTests(VehicleAttributesFixture vehicle, SqueezeNetFixture imagenet, AgeGenderFixture ageGender, UltraFace640Fixture faces)
    : IClassFixture<VehicleAttributesFixture>, IClassFixture<SqueezeNetFixture>, IClassFixture<AgeGenderFixture>, IClassFixture<UltraFace640Fixture>
{
    // The white pickup and the dog in dog.jpg, in original pixels.
    private static readonly Rect Truck = Rect.FromLTRB(460, 65, 690, 175);
    private static readonly Rect Dog = Rect.FromLTRB(120, 200, 330, 550);

    [Fact]
    public void Classify_SaysWhite_WhenWhiteTruckCrop()
    {
        using var image = TestImages.Load("dog.jpg");
        using var crop = new Mat(image, Truck);

        var heads = vehicle.Classifier.Classify(crop);

        heads.Select(h => h.Head).Should().Equal("type", "color");
        var color = heads.Single(h => h.Head == "color");
        color.Best!.ClassName.Should().Be("white");
        color.Best.Score.Should().BeGreaterThan(0.9f);
        heads.Single(h => h.Head == "type").Top.Select(c => c.ClassName).Should().BeSubsetOf(["car", "bus", "truck", "van"]);
    }

    [Theory]
    [InlineData(2, "red")]
    [InlineData(0, "blue")]
    public void Classify_FollowsTheColour_WhenTruckTinted(int keptChannel, string expected)
    {
        using var image = TestImages.Load("dog.jpg");
        using var crop = new Mat(image, Truck).Clone();
        var channels = Cv2.Split(crop);
        for (var c = 0; c < 3; c++)
        {
            if (c != keptChannel)
            {
                channels[c].ConvertTo(channels[c], MatType.CV_8UC1, 0.2);
            }
        }

        using var tinted = new Mat();
        Cv2.Merge(channels, tinted);
        foreach (var channel in channels)
        {
            channel.Dispose();
        }

        vehicle.Classifier.Classify(tinted).Single(h => h.Head == "color").Best!.ClassName.Should().Be(expected);
    }

    [Fact]
    public void Classify_NamesADogBreed_WhenDogCrop()
    {
        using var image = TestImages.Load("dog.jpg");
        using var crop = new Mat(image, Dog);
        var labels = File.ReadAllLines(TestPaths.Model("imagenet_labels.txt"));

        var top = imagenet.Classifier.Classify(crop, topK: 3).Single().Top;

        top.Should().HaveCount(3).And.BeInDescendingOrder(c => c.Score);
        top.Should().OnlyContain(c => c.ClassName == labels[c.ClassId]);

        // ImageNet-1k's dogs are classes 151 (Chihuahua) to 268 (Mexican hairless).
        top[0].ClassId.Should().BeInRange(151, 268, "the best class of a dog crop is a dog breed (got {0})", top[0].ClassName);
    }

    [Fact]
    public void Classify_SaysBaldEagle_WhenEagleImage()
    {
        using var image = TestImages.Load("eagle.jpg");

        imagenet.Classifier.Classify(image).Single().Best!.ClassName.Should().StartWith("bald eagle");
    }

    [Fact]
    public void Classify_SaysFemale_WhenFacesOfTheFourWomen()
    {
        // faces_2.jpg shows four women, upright and facing the camera; the face detector finds the crops.
        using var image = TestImages.Load("faces_2.jpg");
        var found = faces.Detector.Detect(image);
        found.Should().HaveCountGreaterThanOrEqualTo(4);

        var genders = found.Take(4).Select(face =>
        {
            using var crop = new Mat(image, Rect.FromLTRB((int)face.Bbox.X1, (int)face.Bbox.Y1, (int)face.Bbox.X2, (int)face.Bbox.Y2));
            return ageGender.Classifier.Classify(crop);
        }).ToList();

        genders.Should().OnlyContain(h => h.Single(x => x.Head == "prob").Best!.ClassName == "female");
        genders.Should().OnlyContain(h => h.Single(x => x.Head == "age_conv3").Value > 0.1f && h.Single(x => x.Head == "age_conv3").Value < 0.8f);
    }

    [Fact]
    public void Info_DescribesHeads_WhenTwoHeadsAndAValueHead()
    {
        vehicle.Classifier.Info.Should().BeEquivalentTo(new { InputWidth = 72, InputHeight = 72, TopK = 5, Device = "cpu" });
        vehicle.Classifier.Info.DescribeHeads().Should().Be("type (4), color (7)");
        ageGender.Classifier.Info.DescribeHeads().Should().Be("age_conv3 (value), prob (2)");
    }

    [Fact]
    public void Classify_RefusesAnEmptyImage()
    {
        using var empty = new Mat();

        var act = () => vehicle.Classifier.Classify(empty);

        act.Should().Throw<ArgumentException>().WithMessage("*non-empty 8-bit BGR*");
    }
}

/// <summary>Configuration mistakes stop the load with one line naming the setting and what is accepted.</summary>
public sealed class ClassifierFactoryTests
{
    private static readonly ClassifierFactory Factory = new(NullLoggerFactory.Instance);

    [Fact]
    public void Create_NamesTheSetting_WhenAClassHeadHasNoLabels()
    {
        var options = ClassifierOptions.Vehicle();
        options.HeadLabels.Remove("color");

        var act = () => Factory.Create("vehicle", options);

        act.Should().Throw<ModelLoadException>().WithMessage("*output color float32[1,7,1,1] scores 7 classes but has no labels; set Models:vehicle:HeadLabels:color*");
    }

    [Fact]
    public void Create_ListsTheOutputs_WhenHeadLabelsNamesAnUnknownOutput()
    {
        var options = ClassifierOptions.Vehicle();
        options.HeadLabels["brand"] = options.HeadLabels["color"];

        var act = () => Factory.Create("vehicle", options);

        act.Should().Throw<ModelLoadException>().WithMessage("*HeadLabels names brand, which the model does not output; its outputs: type, color*");
    }

    [Fact]
    public void Create_SaysTheCounts_WhenLabelsDoNotMatchTheHead()
    {
        var options = ClassifierOptions.Vehicle();
        options.HeadLabels["color"] = options.HeadLabels["type"];

        var act = () => Factory.Create("vehicle", options);

        act.Should().Throw<ModelLoadException>().WithMessage("*has 4 names but output color float32[1,7,1,1] scores 7 classes*");
    }

    [Fact]
    public void Create_AsksForThreeValues_WhenMeanHasTwo()
    {
        var options = ClassifierOptions.SqueezeNet();
        options.Mean = [104, 117];

        var act = () => Factory.Create("imagenet", options);

        act.Should().Throw<ModelLoadException>().WithMessage("*Mean has 2 values; give three (B, G, R)*");
    }

    [Fact]
    public void Create_RefusesADetector_WhenTypeIsNotClassifier()
    {
        var options = ClassifierOptions.SqueezeNet();
        options.Type = "yolox";

        var act = () => Factory.Create("imagenet", options);

        act.Should().Throw<ModelLoadException>().WithMessage("Model 'imagenet': type 'yolox' is not 'classifier'.");
    }

    [Fact]
    public void DetectorFactory_PointsToClassifiers_WhenTypeIsClassifier()
    {
        var act = () => new DetectorFactory(NullLoggerFactory.Instance).Create("imagenet", ClassifierOptions.SqueezeNet());

        act.Should().Throw<ModelLoadException>().WithMessage("*type 'classifier' is not known (classifier models are loaded by ClassifierFactory)*");
    }
}

public sealed class HeadScoresTests
{
    [Fact]
    public void Top_AppliesSoftmax_WhenOutputsAreLogits()
    {
        var top = HeadScores.Top([2f, 0f, 1f], ["a", "b", "c"], k: 3);

        top.Select(c => c.ClassName).Should().Equal("a", "c", "b");
        top.Sum(c => c.Score).Should().BeApproximately(1f, 0.001f);
        top[0].Score.Should().BeApproximately(0.6652f, 0.0001f);
    }

    [Fact]
    public void Top_KeepsScores_WhenOutputsAreADistribution()
    {
        var top = HeadScores.Top([0.1f, 0.7f, 0.2f], ["a", "b", "c"], k: 2);

        top.Should().Equal(new FaceObject.Core.Results.ClassScore(1, "b", 0.7f), new FaceObject.Core.Results.ClassScore(2, "c", 0.2f));
    }
}

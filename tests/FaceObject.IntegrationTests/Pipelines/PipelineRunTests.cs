using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Inference;
using FaceObject.Testing;

namespace FaceObject.IntegrationTests.Pipelines;

/// <summary>
/// Pipeline runs on the all-in-one host with real models on real images: the built-in blur-and-detect, and a
/// crop-and-classify pipeline whose two branches classify the pickup (vehicle type and colour) and the dog (ImageNet).
/// </summary>
public sealed class PipelineRunTests(PipelineRunFixture fixture) : IClassFixture<PipelineRunFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private FaceObjectClient Client => fixture.Host.Client;

    [Fact]
    public async Task BlurAndDetect_BlursTheFacesAndListsObjects_OnAGroupPhoto()
    {
        var input = TestPaths.ImageBytes("faces_6.jpg");

        var task = await RunAsync("blur-and-detect", input);

        var result = task["result"]!;
        var blur = result["blur_metadata"]!;
        blur["model"]!.GetValue<string>().Should().Be("face");
        var faces = DetectionBoxes.Of(blur["regions"]!);
        faces.Should().HaveCount(blur["blurred"]!.GetValue<int>()).And.HaveCountGreaterThanOrEqualTo(10);
        result["detection_metadata"]!["model"]!.GetValue<string>().Should().Be("object");
        FaceObjectClient.ClassNames(task).Should().Contain("person");
        task["image_url"]!.GetValue<string>().Should().EndWith("/image");

        using var before = ImageDecoder.Decode(input);
        using var after = ImageDecoder.Decode(await Client.GetTaskImageAsync(task["task_id"]!.GetValue<string>()));
        foreach (var face in faces)
        {
            var region = ImageStatistics.Inside(face, before);
            ImageStatistics.LaplacianVariance(after, region).Should().BeLessThan(ImageStatistics.LaplacianVariance(before, region) / 10, $"the face at {face} is blurred");
        }
    }

    [Fact]
    public async Task BlurAndDetect_ListsTheObjects_AndBlursNothing_WhenThereIsNoFace()
    {
        var task = await RunAsync("blur-and-detect", TestPaths.ImageBytes("dog.jpg"));

        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
        task["result"]!["blur_metadata"]!["blurred"]!.GetValue<int>().Should().Be(0);
        task["stages"]!.AsArray().Select(s => s!["stage"]!.GetValue<string>()).Should().BeEquivalentTo(["detect", "blur"]);
        task["stages"]!.AsArray().Should().OnlyContain(s => s!["status"]!.GetValue<string>() == "succeeded" && s["duration_ms"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task CropAndClassify_ClassifiesEachCropOnItsClassifiersQueue_AndIsolatesABranchWithNothingToCrop()
    {
        var task = await RunAsync("dog-and-pickup", TestPaths.ImageBytes("dog.jpg"));

        var branches = task["result"]!["branches"]!;
        var pickup = branches["pickup"]!;
        pickup["status"]!.GetValue<string>().Should().Be("succeeded", pickup.ToJsonString());
        pickup["color"]!.GetValue<string>().Should().Be("white");
        pickup["crop"]!["class_name"]!.GetValue<string>().Should().Be("car");
        var breed = branches["breed"]!;
        breed["status"]!.GetValue<string>().Should().Be("succeeded", breed.ToJsonString());
        breed["heads"]![0]!["top"]![0]!["class_id"]!.GetValue<int>().Should().BeInRange(151, 268, "an ImageNet dog breed");
        var giraffe = branches["giraffe"]!;
        giraffe["status"]!.GetValue<string>().Should().Be("skipped");
        giraffe["type"]!.GetValue<string>().Should().Be("no_crop");
        giraffe["error"]!.GetValue<string>().Should().Contain("'giraffe'");

        var stages = task["stages"]!.AsArray().ToDictionary(s => s!["stage"]!.GetValue<string>(), s => s!);
        stages["branch:pickup"]["queue"]!.GetValue<string>().Should().Be("vehicle");
        stages["branch:breed"]["queue"]!.GetValue<string>().Should().Be("imagenet");
        stages["branch:pickup"]["step"]!.GetValue<int>().Should().Be(1, "branches start once detect has ended");
        stages["detect"]["job_id"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task RequiredBranch_FailsTheRun_WhenItHasNothingToClassify()
    {
        var task = await RunAsync("needs-a-giraffe", TestPaths.ImageBytes("dog.jpg"), expected: "failed");

        task["error"]!.GetValue<string>().Should().Contain("No required branch succeeded").And.Contain("giraffe: no_crop");
    }

    [Fact]
    public async Task Submit_Answers404ListingPipelines_ForAnUnknownName_And400ForDetectOptions()
    {
        using (var unknown = await Client.SubmitPipelineAsync("nope", TestPaths.ImageBytes("dog.jpg")))
        {
            unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await FaceObjectClient.ReadProblemAsync(unknown))["detail"]!.GetValue<string>().Should().Contain("blur-and-detect").And.Contain("dog-and-pickup");
        }

        using var withOptions = await Client.SubmitPipelineAsync("blur-and-detect", TestPaths.ImageBytes("dog.jpg"), query: "?annotate=true");
        withOptions.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(withOptions))["detail"]!.GetValue<string>().Should().Contain("only 'callback_url' applies");
    }

    [Fact]
    public async Task Submit_Answers415_WhenTheUploadIsNoImage()
    {
        using var response = await Client.SubmitPipelineAsync("blur-and-detect", "not an image at all, just text"u8.ToArray(), "notes.jpg");

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType, "the upload is checked like a detect upload");
    }

    private async Task<JsonObject> RunAsync(string pipeline, byte[] image, string expected = "completed")
    {
        var taskId = await Client.SubmitPipelineExpectingAcceptedAsync(pipeline, image);
        var done = await Client.WaitForEndAsync(taskId, RunTimeout);
        done["status"]!.GetValue<string>().Should().Be(expected, done.ToJsonString());
        done["kind"]!.GetValue<string>().Should().Be("pipeline");
        done["model"]!.GetValue<string>().Should().Be(pipeline);
        return done;
    }
}

/// <summary>The all-in-one host with the vehicle and ImageNet classifiers and the crop-and-classify pipelines of the tests.</summary>
public sealed class PipelineRunFixture : IAsyncLifetime
{
    public EmbeddedApiFixture Host { get; } = new();

    public Task InitializeAsync()
    {
        ClassifierApiFixture.AddVehicleClassifier(Host.Settings);
        AddImageNetClassifier(Host.Settings);
        AddPipeline(Host.Settings, "dog-and-pickup", """
            {
              "detect": { "model": "object", "expected_classes": ["dog", "car", "giraffe"] },
              "branches": [
                { "id": "pickup", "model": "vehicle", "crop_class": "car", "timeout_seconds": 30 },
                { "id": "breed", "model": "imagenet", "crop_class": "dog", "timeout_seconds": 30 },
                { "id": "giraffe", "model": "imagenet", "crop_class": "giraffe" }
              ]
            }
            """);
        AddPipeline(Host.Settings, "needs-a-giraffe", """
            {
              "detect": { "model": "object" },
              "branches": [ { "id": "giraffe", "model": "imagenet", "crop_class": "giraffe", "required": true } ]
            }
            """);
        return Host.InitializeAsync();
    }

    public Task DisposeAsync() => Host.DisposeAsync();

    internal static void AddImageNetClassifier(Dictionary<string, string?> settings)
    {
        settings["Models:imagenet:Type"] = "classifier";
        settings["Models:imagenet:Path"] = TestPaths.Model("squeezenet1.1-fp32.onnx");
        settings["Models:imagenet:Labels"] = TestPaths.Model("imagenet_labels.txt");
        settings["Models:imagenet:Mean:0"] = "104";
        settings["Models:imagenet:Mean:1"] = "117";
        settings["Models:imagenet:Mean:2"] = "123";
    }

    /// <summary>A pipeline in configuration, as <c>Pipelines:{name}:...</c> keys from its JSON.</summary>
    internal static void AddPipeline(Dictionary<string, string?> settings, string name, string json) =>
        Flatten(settings, $"Pipelines:{name}", JsonNode.Parse(json)!);

    private static void Flatten(Dictionary<string, string?> settings, string path, JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    Flatten(settings, $"{path}:{key}", value!);
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Flatten(settings, $"{path}:{i}", a[i]!);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                settings[path] = text;
                break;
            default:
                settings[path] = node.ToJsonString();
                break;
        }
    }
}

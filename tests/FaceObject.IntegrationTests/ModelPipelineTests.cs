using System.Net;
using System.Text.Json.Nodes;
using FaceObject.Core.Results;
using FaceObject.Inference;
using FaceObject.Testing;
using OpenCvSharp;

namespace FaceObject.IntegrationTests;

/// <summary>
/// The model pipeline through the all-in-one service over real HTTP: output images (annotate, blur), image
/// conversions (EXIF orientation, 16-bit with alpha), and what GET /api/models reports.
/// </summary>
public sealed class ModelPipelineTests(EmbeddedApiFixture fixture) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly TimeSpan TaskTimeout = TimeSpan.FromSeconds(60);

    private FaceObjectClient Client => fixture.Client;

    [Fact]
    public async Task Annotate_StoresJpegOfSameSizeWithBoxesDrawn_WhenDogIsSubmittedWithAnnotate()
    {
        var input = TestPaths.ImageBytes("dog.jpg");

        var (task, output) = await RunWithOutputAsync("object", input, "?annotate=true");

        using var before = ImageDecoder.Decode(input);
        using var after = ImageDecoder.Decode(output);
        (after.Width, after.Height).Should().Be((768, 576));
        var boxes = Boxes(task);
        var dog = boxes[FaceObjectClient.ClassNames(task).ToList().IndexOf("dog")];
        var leftEdge = new Rect((int)dog.X1 - 1, (int)((dog.Y1 + dog.Y2) / 2), 3, 20);
        ImageStatistics.MeanAbsoluteDifference(before, after, leftEdge).Should().BeGreaterThan(20, "the dog's box is drawn there");
        var far = ImageStatistics.FarFrom(boxes, before, 48);
        ImageStatistics.MeanAbsoluteDifference(before, after, far).Should().BeLessThan(3, "away from boxes only JPEG noise differs");
    }

    [Fact]
    public async Task Blur_MakesEveryDetectedFaceUnrecognisable_WhenFacesSixIsSubmittedWithBlur()
    {
        var input = TestPaths.ImageBytes("faces_6.jpg");

        var (task, output) = await RunWithOutputAsync("face", input, "?blur=true");

        using var before = ImageDecoder.Decode(input);
        using var after = ImageDecoder.Decode(output);
        (after.Width, after.Height).Should().Be((before.Width, before.Height));
        var faces = Boxes(task);
        faces.Should().HaveCountGreaterThanOrEqualTo(12);
        foreach (var face in faces)
        {
            var region = ImageStatistics.Inside(face, before);
            ImageStatistics.LaplacianVariance(after, region).Should().BeLessThan(ImageStatistics.LaplacianVariance(before, region) / 10, $"the face at {face} is blurred");
        }

        var far = ImageStatistics.FarFrom(faces, before, 64);
        ImageStatistics.MeanAbsoluteDifference(before, after, far).Should().BeLessThan(3, "away from faces only JPEG noise differs");
    }

    [Fact]
    public async Task BlurAndAnnotate_BlursPeopleThenDrawsLabels_WhenObjectModelHasNoBlurClasses()
    {
        var input = TestPaths.ImageBytes("person.jpg");

        var (task, output) = await RunWithOutputAsync("object", input, "?blur=true&annotate=true");

        using var before = ImageDecoder.Decode(input);
        using var after = ImageDecoder.Decode(output);
        var classes = FaceObjectClient.ClassNames(task).ToList();
        var boxes = Boxes(task);
        var person = boxes[classes.IndexOf("person")];
        var horse = boxes[classes.IndexOf("horse")];

        // Inside the boxes, away from the drawn frame: the person (blurred by default) lost its detail, the horse did not.
        var personCore = Shrink(person, 0.25f, before);
        var horseCore = Shrink(horse, 0.25f, before);
        ImageStatistics.LaplacianVariance(after, personCore).Should().BeLessThan(ImageStatistics.LaplacianVariance(before, personCore) / 10);
        ImageStatistics.LaplacianVariance(after, horseCore).Should().BeGreaterThan(ImageStatistics.LaplacianVariance(before, horseCore) / 2);
        var personEdge = new Rect((int)person.X1 - 1, (int)((person.Y1 + person.Y2) / 2), 3, 20);
        ImageStatistics.MeanAbsoluteDifference(before, after, personEdge).Should().BeGreaterThan(20, "the frame is drawn over the blurred region");
    }

    [Fact]
    public async Task Submit_Answers400ListingClasses_WhenBlurClassesNamesNoClassOfTheModel()
    {
        await Client.WaitForModelServedAsync("object", TaskTimeout);

        using var response = await Client.SubmitImageAsync("object", TestPaths.ImageBytes("dog.jpg"), "dog.jpg", "?blur_classes=persn");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>()
            .Should().Contain("'persn'").And.Contain("person, bicycle, car");
    }

    [Fact]
    public async Task Task_HasNoOutputImage_WhenNeitherAnnotateNorBlurWasAsked()
    {
        var taskId = await Client.SubmitImageExpectingAcceptedAsync("face", TestPaths.ImageBytes("faces_2.jpg"));
        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);

        using var response = await Client.Http.GetAsync(new Uri($"/api/task/{taskId}/image", UriKind.Relative));

        task["image_url"].Should().BeNull();
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await FaceObjectClient.ReadProblemAsync(response))["detail"]!.GetValue<string>().Should().Contain("annotate=true or blur=true");
    }

    [Fact]
    public async Task Result_GivesUprightSizeAndBoxes_WhenPhoneJpegCarriesExifOrientation6()
    {
        var uprightTask = await RunAsync("object", TestPaths.ImageBytes("dog.jpg"));
        using var upright = ImageDecoder.Decode(TestPaths.ImageBytes("dog.jpg"));
        using var stored = new Mat();
        Cv2.Rotate(upright, stored, RotateFlags.Rotate90Counterclockwise);
        Cv2.ImEncode(".jpg", stored, out var sideways);

        var task = await RunAsync("object", JpegExif.WithOrientation(sideways, 6));

        var image = task["result"]!["image"]!;
        (image["width"]!.GetValue<int>(), image["height"]!.GetValue<int>()).Should().Be((768, 576));
        var expected = Boxes(uprightTask)[FaceObjectClient.ClassNames(uprightTask).ToList().IndexOf("dog")];
        var dog = Boxes(task)[FaceObjectClient.ClassNames(task).ToList().IndexOf("dog")];
        dog.IoU(expected).Should().BeGreaterThan(0.9f, $"the upright dog is at {expected}; found {dog}");
    }

    [Fact]
    public async Task Result_FindsDogBicycleAndCar_WhenPngIsSixteenBitWithAlpha()
    {
        using var dog = ImageDecoder.Decode(TestPaths.ImageBytes("dog.jpg"));
        using var half = dog.Resize(new Size(384, 288), 0, 0, InterpolationFlags.Area);
        using var withAlpha = half.CvtColor(ColorConversionCodes.BGR2BGRA);
        using var deep = new Mat();
        withAlpha.ConvertTo(deep, MatType.CV_16UC4, 257);
        Cv2.ImEncode(".png", deep, out var png);

        var task = await RunAsync("object", png, "dog16.png");

        task["result"]!["image"]!["width"]!.GetValue<int>().Should().Be(384);
        FaceObjectClient.ClassNames(task).Should().Contain(["dog", "bicycle", "car"]);
    }

    [Fact]
    public async Task Models_ReportWhatTheInProcessWorkersLoaded_WhenRunningAllInOne()
    {
        var face = await Client.WaitForModelServedAsync("face", TaskTimeout);
        var objects = await Client.WaitForModelServedAsync("object", TaskTimeout);

        face["device"]!.GetValue<string>().Should().Be("cpu");
        face["type"]!.GetValue<string>().Should().Be("ultraface");
        face["file"]!.GetValue<string>().Should().Be("version-RFB-640.onnx");
        (face["input"]!["width"]!.GetValue<int>(), face["input"]!["height"]!.GetValue<int>()).Should().Be((640, 480));
        face["classes"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("face");
        face["nms_threshold"]!.GetValue<float>().Should().Be(0.3f);
        objects["class_count"]!.GetValue<int>().Should().Be(80);
        objects["score_threshold"]!.GetValue<float>().Should().Be(0.3f);
        objects["servers"]!.AsArray().Should().ContainSingle().Which!["device"]!.GetValue<string>().Should().Be("cpu");
    }

    private async Task<JsonObject> RunAsync(string model, byte[] image, string fileName = "image.jpg", string query = "")
    {
        var taskId = await Client.SubmitImageExpectingAcceptedAsync(model, image, fileName, query);
        var task = await Client.WaitForEndAsync(taskId, TaskTimeout);
        task["status"]!.GetValue<string>().Should().Be("completed", task.ToJsonString());
        return task;
    }

    private async Task<(JsonObject Task, byte[] Output)> RunWithOutputAsync(string model, byte[] image, string query)
    {
        var task = await RunAsync(model, image, "image.jpg", query);
        var taskId = task["task_id"]!.GetValue<string>();
        task["image_url"]!.GetValue<string>().Should().Be($"/api/task/{taskId}/image");
        return (task, await Client.GetTaskImageAsync(taskId));
    }

    private static List<BoundingBox> Boxes(JsonObject task) => DetectionBoxes.Of(task["result"]!["detections"]!);

    private static Rect Shrink(BoundingBox box, float fraction, Mat image) => ImageStatistics.Inside(new BoundingBox(
        box.X1 + (box.Width * fraction), box.Y1 + (box.Height * fraction), box.X2 - (box.Width * fraction), box.Y2 - (box.Height * fraction)), image);
}

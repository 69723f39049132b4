using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Inference;
using FaceObject.Inference.Rendering;
using FaceObject.Processing.Jobs;
using FaceObject.Processing.Models;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// The model work of one pipeline stage on a decoded image: <c>detect</c> keeps the expected classes, <c>blur</c>
/// blurs its classes and stores the processed image, a branch classifies its crop. Returns the stage's result
/// document; stateless and thread-safe.
/// </summary>
internal sealed class StageWork(LoadedModels models, IPayloadStore payloads, IOptions<TaskOptions> taskOptions, TimeProvider clock)
{
    /// <exception cref="TaskInputException">The bytes are not an image.</exception>
    public async Task<JsonElement> RunAsync(TaskRecord task, PipelineDefinition definition, StageState stage, byte[] input, CancellationToken cancellationToken)
    {
        Mat image;
        try
        {
            image = ImageDecoder.Decode(input);
        }
        catch (ImageDecodeException e)
        {
            throw new TaskInputException(e.Message, e);
        }

        using (image)
        {
            return stage.Stage switch
            {
                PipelinePlan.DetectStage => Detect(definition.Detect!, image),
                PipelinePlan.BlurStage => await BlurAsync(task, definition.Blur!, image, cancellationToken),
                _ => Classify(PipelinePlan.Branch(definition, stage.Stage)!, stage.Crop, image),
            };
        }
    }

    private JsonElement Detect(DetectStage detect, Mat image)
    {
        var detector = models.Get(detect.Model);
        var found = detector.Detect(image, detect.MinConfidence);
        var kept = detect.ExpectedClasses.Count == 0 ? found : found.Where(d => detect.ExpectedClasses.Contains(d.ClassName)).ToList();
        return Element(new
        {
            Model = detect.Model,
            Image = new ImageSize(image.Width, image.Height),
            Detections = kept,
            Found = found.Count,
            Classes = kept.GroupBy(d => d.ClassName).ToDictionary(g => g.Key, g => g.Count()),
            Device = detector.Info.Device,
        });
    }

    private async Task<JsonElement> BlurAsync(TaskRecord task, BlurStage blur, Mat image, CancellationToken cancellationToken)
    {
        var detector = models.Get(blur.Model);
        var blurred = detector.Detect(image).Where(d => blur.Classes.Contains(d.ClassName)).ToList();
        DetectionRenderer.Blur(image, blurred.Select(d => d.Bbox));
        var key = PayloadKeys.Processed(task.TaskId);
        var left = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
        await payloads.PutAsync(key, DetectionRenderer.EncodeJpeg(image), left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        return Element(new
        {
            Model = blur.Model,
            Image = new ImageSize(image.Width, image.Height),
            Classes = blur.Classes,
            Blurred = blurred.Count,
            Regions = blurred,
            ProcessedImageKey = key,
            Device = detector.Info.Device,
        });
    }

    /// <summary>
    /// The branch's result: the first head's best class as <c>class_name</c> and <c>confidence</c>, each head's best
    /// class (or value) under the head's name, so templates read <c>{id.color}</c>, and every head's top classes.
    /// </summary>
    private JsonElement Classify(BranchStage branch, Detection? crop, Mat image)
    {
        var classifier = models.GetClassifier(branch.Model);
        IReadOnlyList<HeadResult> heads;
        if (crop is null)
        {
            heads = classifier.Classify(image);
        }
        else
        {
            var box = crop.Bbox.ClipTo(image.Width, image.Height);
            var rect = new Rect((int)box.X1, (int)box.Y1, Math.Max(1, (int)box.Width), Math.Max(1, (int)box.Height));
            using var region = new Mat(image, rect);
            heads = classifier.Classify(region);
        }

        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["model"] = branch.Model,
            ["class_name"] = heads.Select(h => h.Best?.ClassName).FirstOrDefault(n => n is not null),
            ["confidence"] = heads.Select(h => h.Best?.Score).FirstOrDefault(s => s is not null),
        };
        foreach (var head in heads)
        {
            result.TryAdd(head.Head, (object?)head.Best?.ClassName ?? head.Value);
        }

        result["heads"] = heads;
        result["device"] = classifier.Info.Device;
        return Element(result);
    }

    private static JsonElement Element<T>(T value) => JsonSerializer.SerializeToElement(value, FaceObjectJson.Options);
}

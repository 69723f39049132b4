using System.Diagnostics;
using FaceObject.Core.Results;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.Inference;
using FaceObject.Inference.Rendering;
using FaceObject.Processing.Models;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace FaceObject.Processing.Jobs;

/// <summary>An image task's result, and the payload key of its output image when one was asked for.</summary>
internal sealed record ImageOutcome(ImageDetectionResult Result, string? OutputImageKey);

/// <summary>
/// One image task's work: decode (EXIF orientation applied), detect, then for <c>blur</c> and <c>annotate</c>
/// blur the chosen classes and draw every detection (blurred first, so labels stay readable), and store the
/// JPEG in the payload store as <c>processed/{taskId}.jpg</c> until the task expires. Stateless and thread-safe.
/// </summary>
internal sealed class ImagePipeline(LoadedModels models, IPayloadStore payloads, IOptions<TaskOptions> taskOptions, TimeProvider clock)
{
    /// <param name="task">The task, already started.</param>
    /// <param name="payload">The uploaded bytes.</param>
    /// <param name="started">Stopwatch timestamp of when the worker took the task, for the reported processing time.</param>
    /// <param name="cancellationToken">The server's shutdown token.</param>
    /// <exception cref="TaskInputException">The bytes do not decode, or the blur options do not fit the model.</exception>
    public async Task<ImageOutcome> RunAsync(TaskRecord task, byte[] payload, long started, CancellationToken cancellationToken)
    {
        var detector = models.Get(task.Model);
        var options = task.Options;
        IReadOnlySet<int>? blurClassIds = null;
        if (options.Blur)
        {
            if (!BlurTargets.TryResolve(detector.Info.ClassNames, options.BlurClasses, out var ids, out var problem))
            {
                throw new TaskInputException($"Model '{task.Model}': {problem}");
            }

            blurClassIds = ids;
        }

        Mat image;
        try
        {
            image = ImageDecoder.Decode(payload);
        }
        catch (ImageDecodeException e)
        {
            throw new TaskInputException(e.Message, e);
        }

        IReadOnlyList<Detection> detections;
        ImageSize size;
        byte[]? output = null;
        using (image)
        {
            size = new ImageSize(image.Width, image.Height);
            detections = detector.Detect(image, options.ScoreThreshold);
            if (blurClassIds is not null)
            {
                DetectionRenderer.Blur(image, detections.Where(d => blurClassIds.Contains(d.ClassId)).Select(d => d.Bbox));
            }

            if (options.Annotate)
            {
                DetectionRenderer.Annotate(image, detections);
            }

            if (options.Blur || options.Annotate)
            {
                output = DetectionRenderer.EncodeJpeg(image);
            }
        }

        var result = new ImageDetectionResult
        {
            TaskId = task.TaskId,
            Model = task.Model,
            Image = size,
            Detections = detections,
            ProcessedAt = clock.GetUtcNow(),
            ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2),
            Device = detector.Info.Device,
        };

        string? outputKey = null;
        if (output is not null)
        {
            // The output goes when the task does: its TTL runs from the task's creation, like the upload's.
            outputKey = PayloadKeys.Processed(task.TaskId);
            var left = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
            await payloads.PutAsync(outputKey, output, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cancellationToken);
        }

        return new ImageOutcome(result, outputKey);
    }
}

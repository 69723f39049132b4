using System.Text.Json;
using FaceObject.Api.Endpoints;
using FaceObject.Api.Infrastructure;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using FaceObject.SafeHttp;

namespace FaceObject.Api.Submissions;

/// <summary>
/// <c>{"image_key": "images/photo.jpg", "bucket": "..."}</c>: a task whose input is an object already in the bucket.
/// The API only HEADs the object, so a missing key or an oversized object is answered at once (404, 413) instead of
/// becoming a task that is certain to fail; the worker reads the bytes, and fails the task if the object has gone by then.
/// </summary>
internal static class ImageKeySubmission
{
    /// <summary>S3's own limit on key length, in UTF-8 bytes.</summary>
    private const int MaxKeyBytes = 1024;

    public const string Example = """{"image_key": "images/photo.jpg"}""";

    public static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitAsync(string model, JsonElement body,
        HttpRequest request, TaskSubmitter submitter, OutboundPolicy outbound, ApiOptions limits, string? idempotencyKey, CancellationToken cancellationToken,
        TaskKind kind = TaskKind.Image)
    {
        var bucket = request.HttpContext.RequestServices.GetService<IObjectBucket>();
        if (bucket is null)
        {
            return Problems.BadRequest("'image_key' needs an S3-compatible bucket (Storage:Kind=s3), and this server keeps payloads elsewhere; "
                + "upload the image as multipart/form-data with the field 'file' instead.");
        }

        if (body.TryGetProperty("image_url", out _))
        {
            return Problems.BadRequest($"Send either 'image_url' or 'image_key', not both; e.g. {Example}.");
        }

        if (!body.TryGetProperty("image_key", out var keyElement) || keyElement.ValueKind != JsonValueKind.String
            || keyElement.GetString() is not { } key || string.IsNullOrWhiteSpace(key))
        {
            return Problems.BadRequest($"'image_key' must be the key of an image object in the bucket, e.g. {Example}.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return Problems.BadRequest($"'image_key' is longer than {MaxKeyBytes} bytes, the longest key object storage allows.");
        }

        var bucketName = bucket.Name;
        if (body.TryGetProperty("bucket", out var bucketElement) && bucketElement.ValueKind != JsonValueKind.Null)
        {
            if (bucketElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(bucketElement.GetString()))
            {
                return Problems.BadRequest("'bucket' must be a bucket name string, or left out for the configured bucket.");
            }

            bucketName = bucketElement.GetString()!;
            if (!bucket.IsAllowed(bucketName))
            {
                return Problems.BadRequest($"Bucket '{bucketName}' is not allowed: use the configured bucket '{bucket.Name}' (leave 'bucket' out) or one listed in Storage:S3:AllowedBuckets.");
            }
        }

        if (!ImageUrlRequestReader.TryReadFields(body, Example, out var fields, out var fieldsError)
            || !DetectionOptionsReader.TryRead(fields, request.Query, out var options, out fieldsError))
        {
            return Problems.BadRequest(fieldsError);
        }

        if ((outbound.CheckSubmittedUrl(options.CallbackUrl, "callback_url") ?? PipelineOptionsProblem(kind, options)) is { } optionsError)
        {
            return Problems.BadRequest(optionsError);
        }

        var source = new ObjectReference(bucketName, key);
        var size = await bucket.GetSizeAsync(source, cancellationToken);
        if (size is null)
        {
            return Problems.NotFound($"There is no object '{key}' in bucket '{bucketName}'; put the image there first, or upload it as multipart 'file'.");
        }

        if (size > limits.MaxImageBytes)
        {
            return DetectEndpoints.ToProblem(ImageUploadValidator.TooLarge(size.Value, limits.MaxImageBytes));
        }

        var submitted = await submitter.SubmitReferenceOnceAsync(idempotencyKey, ChosenTaskId.Of(request), model, source, options, size.Value, cancellationToken, kind);
        return SubmitResults.Task(request.HttpContext.Response, submitted);
    }

    /// <summary>A pipeline takes its models' settings from its definition; only <c>callback_url</c> applies to a run.</summary>
    internal static string? PipelineOptionsProblem(TaskKind kind, DetectionOptions options) =>
        kind == TaskKind.Pipeline && (options.Blur || options.Annotate || options.ScoreThreshold is not null || options.BlurClasses is { Count: > 0 })
            ? "A pipeline run takes its models' settings (thresholds, blur) from the pipeline's definition; of the options only 'callback_url' applies."
            : null;
}

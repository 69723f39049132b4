using System.Text.Json;
using FaceObject.Api.Endpoints;
using FaceObject.Api.Infrastructure;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

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

    public static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitAsync(
        string model, HttpRequest request, TaskSubmitter submitter, ApiOptions limits, CancellationToken cancellationToken)
    {
        var bucket = request.HttpContext.RequestServices.GetService<IObjectBucket>();
        if (bucket is null)
        {
            return Problems.BadRequest("'image_key' needs an S3-compatible bucket (Storage:Kind=s3), and this server keeps payloads elsewhere; "
                + "upload the image as multipart/form-data with the field 'file' instead.");
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The JSON body could not be read ({e.Message}); send {{\"image_key\": \"images/photo.jpg\"}}.");
        }

        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("image_key", out var keyElement) || keyElement.ValueKind != JsonValueKind.String
            || keyElement.GetString() is not { Length: > 0 } key || string.IsNullOrWhiteSpace(key))
        {
            return Problems.BadRequest("The JSON body needs 'image_key', the key of an image object in the bucket, e.g. {\"image_key\": \"images/photo.jpg\"}.");
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

        if (!DetectionOptionsReader.TryRead(AsForm(body), request.Query, out var options, out var optionsError))
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

        var task = await submitter.SubmitReferenceAsync(model, source, options, size.Value);
        return TypedResults.Accepted(TaskEndpoints.StatusUrl(task.TaskId), TaskAccepted.From(task));
    }

    /// <summary>The body's scalar fields as form fields, so options are read (and refused) exactly as for uploads.</summary>
    private static FormCollection AsForm(JsonElement body)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Array => string.Join(',', property.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                _ => null,
            };
            if (text is not null)
            {
                fields[property.Name] = text;
            }
        }

        return new FormCollection(fields);
    }
}

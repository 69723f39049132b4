using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace FaceObject.Api.Endpoints;

// The bodies a submit takes, as the OpenAPI document shows them. The handlers read the body themselves (multipart and
// JSON on one route, options also from the query string, a problem+json naming the field for every mistake), so
// these records are the contract those readers follow; SubmitRequestsTests sends each through its reader.

/// <summary><c>application/json</c> on <c>POST /api/detect/{model}/image</c>: an image a worker fetches by URL.</summary>
internal sealed record ImageUrlRequest(
    [property: Required, Description("Absolute http or https URL of a JPEG, PNG, WebP or BMP image; a worker fetches it (private addresses are refused).")]
    string ImageUrl,
    float? ScoreThreshold = null,
    bool? Annotate = null,
    bool? Blur = null,
    IReadOnlyList<string>? BlurClasses = null,
    string? CallbackUrl = null) : DetectionRequestOptions(ScoreThreshold, Annotate, Blur, BlurClasses, CallbackUrl);

/// <summary><c>application/json</c> on <c>POST /api/detect/{model}/image</c>: an image already in the bucket (<c>Storage:Kind=s3</c>).</summary>
internal sealed record ImageKeyRequest(
    [property: Required, Description("Key of an image object in the bucket (at most 1024 bytes).")]
    string ImageKey,
    [property: Description("Bucket holding the object: the configured one when left out, or one listed in Storage:S3:AllowedBuckets.")]
    string? Bucket = null,
    float? ScoreThreshold = null,
    bool? Annotate = null,
    bool? Blur = null,
    IReadOnlyList<string>? BlurClasses = null,
    string? CallbackUrl = null) : DetectionRequestOptions(ScoreThreshold, Annotate, Blur, BlurClasses, CallbackUrl);

/// <summary>The options every submit takes, as JSON fields, form fields or query parameters.</summary>
internal abstract record DetectionRequestOptions(
    [property: Range(0, 1), Description("Keep detections scoring at least this (0 to 1); the model's configured threshold when left out.")]
    float? ScoreThreshold,
    [property: Description("Also draw the detections on a copy of the image (GET /api/task/{id}/image).")]
    bool? Annotate,
    [property: Description("Also blur the detected regions (faces by default) on a copy of the image.")]
    bool? Blur,
    [property: Description("Class names to blur; implies blur=true. In a form or query: comma-separated.")]
    IReadOnlyList<string>? BlurClasses,
    [property: Description("Absolute http or https URL that receives a POST with the task when it ends.")]
    string? CallbackUrl);

/// <summary><c>multipart/form-data</c> on <c>POST /api/detect/{model}/image</c>.</summary>
internal sealed record ImageUploadForm(
    [property: Required, Description("One JPEG, PNG, WebP or BMP image (Api:MaxImageBytes).")]
    IFormFile File,
    float? ScoreThreshold = null,
    bool? Annotate = null,
    bool? Blur = null,
    IReadOnlyList<string>? BlurClasses = null,
    string? CallbackUrl = null) : DetectionRequestOptions(ScoreThreshold, Annotate, Blur, BlurClasses, CallbackUrl);

/// <summary><c>multipart/form-data</c> on <c>POST /api/detect/{model}/video</c> (annotate and blur apply to images only).</summary>
internal sealed record VideoUploadForm(
    [property: Required, Description("One MP4, MOV, AVI, MKV or WebM video (Api:MaxVideoBytes).")]
    IFormFile File,
    [property: Description("Frames per second of video to run the model on; the default when left out.")]
    double? SampleFps = null,
    [property: Description("Most sampled frames (1 to Api:MaxVideoFrames).")]
    int? MaxFrames = null,
    [property: Range(0, 1), Description("Keep detections scoring at least this (0 to 1); the model's configured threshold when left out.")]
    float? ScoreThreshold = null,
    [property: Description("Absolute http or https URL that receives a POST with the task when it ends.")]
    string? CallbackUrl = null);

/// <summary><c>multipart/form-data</c> on <c>POST /api/detect/{model}/batch</c>.</summary>
internal sealed record BatchUploadForm(
    [property: Required, Description("The images, one part each (at most Api:MaxBatchFiles, each within Api:MaxImageBytes).")]
    IFormFileCollection Files,
    float? ScoreThreshold = null,
    bool? Annotate = null,
    bool? Blur = null,
    IReadOnlyList<string>? BlurClasses = null,
    string? CallbackUrl = null) : DetectionRequestOptions(ScoreThreshold, Annotate, Blur, BlurClasses, CallbackUrl);

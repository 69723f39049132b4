using FaceObject.Api.Infrastructure;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using FaceObject.Core.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Endpoints;

/// <summary>Submitting work: <c>POST /api/detect/{model}/...</c>. Answers 202 at once; the work runs on the model's queue.</summary>
internal static class DetectEndpoints
{
    public static RouteGroupBuilder MapDetectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/detect/{model}").WithTags("Detect").DisableAntiforgery()
            .RequireRateLimiting(RateLimiting.SubmitPolicy);
        group.MapPost("/image", SubmitImageAsync)
            .WithSummary("Submit an image (multipart field 'file', or JSON {\"image_key\": ...} naming an object in the bucket) for detection")
            .WithDescription("JSON body (Storage:Kind=s3): {\"image_key\": \"images/photo.jpg\", \"bucket\": optional, plus the options as fields}.")

            // One Accepts with both types: routing refuses other content types with 415, and a second Accepts
            // would replace the first rather than add to it.
            .Accepts<IFormFile>("multipart/form-data", "application/json");
        return group;
    }

    internal static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitImageAsync(
        string model,
        HttpRequest request,
        ModelCatalog catalog,
        TaskSubmitter submitter,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(model, out _))
        {
            return Problems.NotFound($"No model '{model}' is configured. Available models: {string.Join(", ", catalog.Keys)}.");
        }

        if (request.HasJsonContentType())
        {
            return await ImageKeySubmission.SubmitAsync(model, request, submitter, options.Value, cancellationToken);
        }

        if (!request.HasFormContentType)
        {
            return Problems.UnsupportedMedia("Send the image as multipart/form-data with the field 'file', or as JSON {\"image_key\": \"...\"} naming an object in the bucket.");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return Problems.BadRequest($"The multipart field 'file' is missing; attach one {ImageUploadValidator.Accepted} image as 'file'.");
        }

        var limits = options.Value;
        if (file.Length > limits.MaxImageBytes)
        {
            return ToProblem(ImageUploadValidator.TooLarge(file.Length, limits.MaxImageBytes));
        }

        if (!DetectionOptionsReader.TryRead(form, request.Query, out var detectionOptions, out var optionsError))
        {
            return Problems.BadRequest(optionsError);
        }

        var content = await ReadAllAsync(file, cancellationToken);
        if (ImageUploadValidator.Check(content, limits.MaxImageBytes, limits.MaxImagePixels) is { } problem)
        {
            return ToProblem(problem);
        }

        var task = await submitter.SubmitAsync(model, TaskKind.Image, content, SafeFileName(file.FileName), detectionOptions, null, cancellationToken);
        return TypedResults.Accepted(TaskEndpoints.StatusUrl(task.TaskId), TaskAccepted.From(task));
    }

    internal static ProblemHttpResult ToProblem(UploadProblem problem) =>
        Problems.Create(problem.Status, ReasonPhrase(problem.Status), problem.Detail);

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var buffer = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    /// <summary>The client's file name for display only: path parts and control characters removed, length capped.</summary>
    internal static string? SafeFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var last = name.Replace('\\', '/').Split('/').LastOrDefault(p => p.Length > 0 && p != ".." && p != ".") ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean[..Math.Min(clean.Length, 200)];
    }
}

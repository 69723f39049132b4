using System.Text.Json;
using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// Submitting work: <c>POST /api/detect/{model}/image|video|batch</c>. Answers 202 at once; the work runs on the
/// model's queue. The group declares what every submit shares (tag, rate limit, no antiforgery, the problems any
/// submit can answer); each route keeps its own body limit and accepted bodies.
/// </summary>
internal static class DetectEndpoints
{
    public static RouteGroupBuilder MapDetectEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/detect/{model}")
            .WithTags("Detect")
            .WithSubmitConventions()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/image", SubmitImageAndWaitAsync)
            .WithName("SubmitImage")
            .WithSummary("Submit an image for detection; ?wait=10s answers 200 with the finished task when it ends in time")
            .WithDescription("The image as the multipart field 'file', or JSON naming it: {\"image_url\": ...} (fetched by a worker) or "
                + "{\"image_key\": ...} (an object in the bucket, with Storage:Kind=s3). Options are form fields, JSON fields or query parameters. "
                + "With ?wait= (such as 10s, 500ms or 10 seconds, at most 60s) the answer is 200 with the task when it has ended within the wait, else 202 as without it.")
            .AcceptsDocumented(
                new DocumentedBody(MediaTypes.Multipart, typeof(ImageUploadForm)),
                new DocumentedBody(MediaTypes.Json, typeof(ImageUrlRequest), typeof(ImageKeyRequest)))
            .WithBodyLimit(o => o.MaxImageBytes, "Api:MaxImageBytes");
        group.MapPost("/video", VideoEndpoints.SubmitVideoAsync)
            .WithName("SubmitVideo")
            .WithSummary("Submit a video for detection on sampled frames")
            .WithDescription("The video as the multipart field 'file'; options sample_fps, max_frames, score_threshold and callback_url (annotate and blur apply to images only).")
            .AcceptsDocumented(new DocumentedBody(MediaTypes.Multipart, typeof(VideoUploadForm)))
            .WithBodyLimit(o => o.MaxVideoBytes, "Api:MaxVideoBytes");
        group.MapPost("/batch", BatchEndpoints.SubmitBatchAsync)
            .WithName("SubmitBatch")
            .WithSummary("Submit several images as one batch: one task per image")
            .WithDescription("The images as the multipart field 'files', repeated; the options apply to every image.")
            .AcceptsDocumented(new DocumentedBody(MediaTypes.Multipart, typeof(BatchUploadForm)))
            .WithBodyLimit(o => o.MaxBatchBytes, "Api:MaxBatchBytes");
        return group;
    }

    /// <summary>What every submit shares, here and on the seed routes: the rate limit, no antiforgery, the problems any submit can answer.</summary>
    internal static RouteGroupBuilder WithSubmitConventions(this RouteGroupBuilder group) => group
        .DisableAntiforgery()
        .RequireRateLimiting(RateLimiting.SubmitPolicy)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// <see cref="SubmitImageAsync"/>, then with <c>?wait=</c> the long poll of <c>GET /api/task/{id}</c> on the new task:
    /// the "simple mode" clients of the Python services get their result in one call when it comes in time.
    /// </summary>
    internal static async Task<Results<Ok<TaskView>, Accepted<TaskAccepted>, ProblemHttpResult>> SubmitImageAndWaitAsync(
        string model,
        string? wait,
        HttpRequest request,
        ModelCatalog catalog,
        TaskSubmitter submitter,
        IModelReportStore reports,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        ITaskStore tasks,
        [FromServices] IObjectBucket? bucket,
        CancellationToken cancellationToken)
    {
        if (!TaskEndpoints.TryParseWait(wait, out var timeout))
        {
            return TaskEndpoints.BadWait(wait);
        }

        var submitted = await SubmitImageAsync(model, request, catalog, submitter, reports, options, outbound, cancellationToken);
        if (submitted.Result is not Accepted<TaskAccepted> { Value: { } accepted } || timeout <= TimeSpan.Zero)
        {
            return submitted.Result switch
            {
                Accepted<TaskAccepted> a => a,
                ProblemHttpResult p => p,
                _ => throw new InvalidOperationException("A submit answers 202 or a problem."),
            };
        }

        var ended = await tasks.WaitForEndAsync(accepted.TaskId, timeout, cancellationToken);
        return ended is { Status: var status } && status.IsTerminal()
            ? TypedResults.Ok(TaskView.From(ended, bucket?.Name))
            : (Accepted<TaskAccepted>)submitted.Result;
    }

    internal static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitImageAsync(
        string model,
        HttpRequest request,
        ModelCatalog catalog,
        TaskSubmitter submitter,
        IModelReportStore reports,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        if (!catalog.TryGet(model, out _))
        {
            return Problems.NotFound($"No model '{model}' is configured. Available models: {string.Join(", ", catalog.Keys)}.");
        }

        if (catalog.NotADetector(model) is { } notADetector)
        {
            return Problems.BadRequest(notADetector);
        }

        return await SubmitToAsync(model, TaskKind.Image, request, submitter, reports, options, outbound, cancellationToken);
    }

    /// <summary>
    /// The submit after the target's own checks: a detector (<see cref="TaskKind.Image"/>) or a pipeline
    /// (<see cref="TaskKind.Pipeline"/>, <paramref name="target"/> naming it). One path for uploads, URLs and keys.
    /// </summary>
    internal static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitToAsync(
        string target,
        TaskKind kind,
        HttpRequest request,
        TaskSubmitter submitter,
        IModelReportStore reports,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        var model = target;
        if (!IdempotencyKey.TryRead(request, out var idempotencyKey, out var keyError))
        {
            return Problems.BadRequest(keyError);
        }

        if (request.HasJsonContentType())
        {
            return await SubmitJsonAsync(model, kind, request, submitter, outbound, options.Value, idempotencyKey, cancellationToken);
        }

        if (!request.HasFormContentType)
        {
            return Problems.UnsupportedMedia($"Send the image as multipart/form-data with the field 'file', its URL as application/json: {ImageUrlRequestReader.Example}, or with Storage:Kind=s3 an object's key: {ImageKeySubmission.Example}.");
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

        if (ImageKeySubmission.PipelineOptionsProblem(kind, detectionOptions) is { } pipelineProblem)
        {
            return Problems.BadRequest(pipelineProblem);
        }

        if (kind != TaskKind.Pipeline && await BlurRequestCheck.ProblemAsync(model, detectionOptions, reports, cancellationToken) is { } blurProblem)
        {
            return Problems.BadRequest(blurProblem);
        }

        if (outbound.CheckSubmittedUrl(detectionOptions.CallbackUrl, "callback_url") is { } callbackError)
        {
            return Problems.BadRequest(callbackError);
        }

        var content = await ReadAllAsync(file, cancellationToken);
        if (ImageUploadValidator.Check(content, limits.MaxImageBytes, limits.MaxImagePixels) is { } problem)
        {
            return ToProblem(problem);
        }

        var submitted = await submitter.SubmitOnceAsync(idempotencyKey, ChosenTaskId.Of(request), model, kind, content, SafeFileName(file.FileName), detectionOptions, cancellationToken);
        return SubmitResults.Task(request.HttpContext.Response, submitted);
    }

    /// <summary>
    /// A JSON submit: an image by URL (checked for form here, and for literal private addresses; a worker fetches it),
    /// or by <c>image_key</c>, an object in the bucket (<see cref="ImageKeySubmission"/>).
    /// </summary>
    private static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitJsonAsync(
        string model, TaskKind kind, HttpRequest request, TaskSubmitter submitter, OutboundPolicy outbound, ApiOptions limits, string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var body = await ImageUrlRequestReader.ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Problems.TooLarge($"The JSON body is larger than {ImageUrlRequestReader.MaxBodyBytes:N0} bytes; send only the image URL and options such as {ImageUrlRequestReader.Example}.");
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest($"The body is not valid JSON ({e.Message}); send e.g. {ImageUrlRequestReader.Example}.");
        }

        using (json)
        {
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("image_key", out _))
            {
                return await ImageKeySubmission.SubmitAsync(model, json.RootElement, request, submitter, outbound, limits, idempotencyKey, cancellationToken, kind);
            }

            if (!ImageUrlRequestReader.TryRead(json.RootElement, request.Query, out var imageUrl, out var detectionOptions, out var error))
            {
                return Problems.BadRequest(error);
            }

            if ((outbound.CheckSubmittedUrl(imageUrl, "image_url") ?? outbound.CheckSubmittedUrl(detectionOptions.CallbackUrl, "callback_url")
                ?? ImageKeySubmission.PipelineOptionsProblem(kind, detectionOptions)) is { } urlError)
            {
                return Problems.BadRequest(urlError);
            }

            var submitted = await submitter.SubmitUrlOnceAsync(idempotencyKey, ChosenTaskId.Of(request), model, imageUrl, detectionOptions, cancellationToken, kind);
            return SubmitResults.Task(request.HttpContext.Response, submitted);
        }
    }

    internal static ProblemHttpResult ToProblem(UploadProblem problem) =>
        Problems.Create(problem.Status, ReasonPhrase(problem.Status), problem.Detail);

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    internal static async Task<byte[]> ReadAllAsync(IFormFile file, CancellationToken cancellationToken)
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

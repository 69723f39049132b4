using FaceObject.Api.Infrastructure;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// <c>POST /api/detect/{model}/video</c> (mapped with the other submits in <see cref="DetectEndpoints"/>): a video for
/// detection on sampled frames; answers 202 at once like an image.
/// </summary>
internal static class VideoEndpoints
{
    internal static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitVideoAsync(
        string model,
        HttpRequest request,
        ModelCatalog catalog,
        TaskSubmitter submitter,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        var upload = await UploadForm.ReadAsync(request, catalog, model, "file", $"one {VideoUploadValidator.Accepted} video", cancellationToken);
        if (upload.Problem is { } uploadProblem)
        {
            return uploadProblem;
        }

        var limits = options.Value;
        var file = upload.Files[0];
        if (file.Length > limits.MaxVideoBytes)
        {
            return DetectEndpoints.ToProblem(ImageUploadValidator.TooLarge(file.Length, limits.MaxVideoBytes));
        }

        if (!DetectionOptionsReader.TryRead(upload.Form, request.Query, out var detectionOptions, out var optionsError)
            || !VideoOptionsReader.TryRead(upload.Form, request.Query, detectionOptions, limits.MaxVideoFrames, out detectionOptions, out optionsError))
        {
            return Problems.BadRequest(optionsError);
        }

        if (outbound.CheckSubmittedUrl(detectionOptions.CallbackUrl, "callback_url") is { } callbackError)
        {
            return Problems.BadRequest(callbackError);
        }

        // Only the header is read here: the file (spooled to disk by the form reader) streams on to the payload store,
        // so a large video is never held whole in the API's memory.
        var header = await ReadHeaderAsync(file, cancellationToken);
        if (VideoUploadValidator.Check(header, file.Length, limits.MaxVideoBytes) is { } problem)
        {
            return DetectEndpoints.ToProblem(problem);
        }

        var submitted = await submitter.SubmitStreamOnceAsync(upload.IdempotencyKey, model, TaskKind.Video, file.OpenReadStream, file.Length,
            PayloadKeys.ExtensionOf(header), DetectEndpoints.SafeFileName(file.FileName), detectionOptions, cancellationToken);
        return SubmitResults.Task(request.HttpContext.Response, submitted);
    }

    private static async Task<byte[]> ReadHeaderAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var header = new byte[(int)Math.Min(file.Length, VideoUploadValidator.HeaderBytes)];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(header, cancellationToken);
        return header;
    }
}

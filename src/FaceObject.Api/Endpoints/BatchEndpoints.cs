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
/// Batches: several images in one request (<c>POST /api/detect/{model}/batch</c>, mapped with the other submits in
/// <see cref="DetectEndpoints"/>), followed as one (<c>GET /api/batch/{id}</c>).
/// </summary>
internal static class BatchEndpoints
{
    public static string StatusUrl(string batchId) => "/api/batch/" + batchId;

    public static RouteGroupBuilder MapBatchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/batch/{id}").WithTags("Batches");
        group.MapGet("/", GetAsync)
            .WithName("GetBatch")
            .WithSummary("A batch's tasks with their status, and counts by status")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Results<Accepted<BatchAccepted>, ProblemHttpResult>> SubmitBatchAsync(
        string model,
        HttpRequest request,
        ModelCatalog catalog,
        BatchSubmitter submitter,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var what = $"up to {limits.MaxBatchFiles} {ImageUploadValidator.Accepted} images, each as a 'files' part";
        var upload = await UploadForm.ReadAsync(request, catalog, model, "files", what, cancellationToken);
        if (upload.Problem is { } uploadProblem)
        {
            return uploadProblem;
        }

        if (upload.Files.Count > limits.MaxBatchFiles)
        {
            return Problems.TooLarge($"The batch has {upload.Files.Count} files; at most {limits.MaxBatchFiles} are accepted per batch. Split it into several batches.");
        }

        if (!DetectionOptionsReader.TryRead(upload.Form, request.Query, out var detectionOptions, out var optionsError))
        {
            return Problems.BadRequest(optionsError);
        }

        if (outbound.CheckSubmittedUrl(detectionOptions.CallbackUrl, "callback_url") is { } callbackError)
        {
            return Problems.BadRequest(callbackError);
        }

        var files = new List<BatchFile>(upload.Files.Count);
        foreach (var file in upload.Files)
        {
            files.Add(await CheckAsync(file, limits, cancellationToken));
        }

        if (!files.Any(f => f.IsAccepted))
        {
            return NoneAccepted(files);
        }

        var submitted = await submitter.SubmitOnceAsync(upload.IdempotencyKey, model, files, detectionOptions, cancellationToken);
        return SubmitResults.From(request.HttpContext.Response, submitted, b => StatusUrl(b.BatchId), BatchAccepted.From);
    }

    internal static async Task<Results<Ok<BatchView>, ProblemHttpResult>> GetAsync(
        string id, IBatchStore batches, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var batch = await batches.GetAsync(id, cancellationToken);
        if (batch is null)
        {
            return Problems.NotFound($"No batch '{id}': it never existed or expired (batches are kept for Tasks:Ttl).");
        }

        // Concurrent reads: StackExchange.Redis pipelines them on one connection.
        var records = await Task.WhenAll(batch.Tasks.Select(t => tasks.GetAsync(t.TaskId, cancellationToken)));
        var views = batch.Tasks.Zip(records, (entry, task) => new BatchTaskView(
            entry.TaskId,
            entry.Filename,
            task is null ? BatchTaskView.Deleted : BatchTaskView.StatusName(task.Status),
            TaskEndpoints.StatusUrl(entry.TaskId))).ToList();

        var counts = Enum.GetValues<DetectionTaskStatus>().Select(BatchTaskView.StatusName).Append(BatchTaskView.Deleted)
            .ToDictionary(s => s, s => views.Count(v => v.Status == s), StringComparer.Ordinal);
        var finished = records.All(t => t is null || t.Status.IsTerminal());
        return TypedResults.Ok(new BatchView(batch.BatchId, batch.Model, batch.CreatedAt, views.Count, finished, counts, views, batch.Rejected));
    }

    private static async Task<BatchFile> CheckAsync(IFormFile file, ApiOptions limits, CancellationToken cancellationToken)
    {
        var name = DetectEndpoints.SafeFileName(file.FileName);
        if (file.Length > limits.MaxImageBytes)
        {
            return new BatchFile(name, null, ImageUploadValidator.TooLarge(file.Length, limits.MaxImageBytes));
        }

        var content = await DetectEndpoints.ReadAllAsync(file, cancellationToken);
        return ImageUploadValidator.Check(content, limits.MaxImageBytes, limits.MaxImagePixels) is { } problem
            ? new BatchFile(name, null, problem)
            : new BatchFile(name, content, null);
    }

    /// <summary>Every file was refused: one problem listing each file's reason, with the status they share (else 400).</summary>
    private static ProblemHttpResult NoneAccepted(List<BatchFile> files)
    {
        var statuses = files.Select(f => f.Problem!.Status).Distinct().ToList();
        var status = statuses.Count == 1 ? statuses[0] : StatusCodes.Status400BadRequest;
        var reasons = string.Join(" ", files.Select(f => $"'{f.FileName ?? "(no name)"}': {f.Problem!.Detail}"));
        return TypedResults.Problem(
            detail: $"None of the {files.Count} file(s) was accepted. {reasons}",
            statusCode: status,
            title: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            extensions: new Dictionary<string, object?>
            {
                ["rejected"] = files.Select(f => new { filename = f.FileName, status = f.Problem!.Status, detail = f.Problem.Detail }).ToList(),
            });
    }
}

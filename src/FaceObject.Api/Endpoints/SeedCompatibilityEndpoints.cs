using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Submissions;
using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using FaceObject.ServiceDefaults.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// Seed 001's routes (<c>/upload</c>, <c>/status/{job_id}</c>, <c>/batch-upload</c>, <c>/stats</c>,
/// <c>/queue-status</c>, <c>/health</c>) for clients of the Python service. Each calls the <c>/api</c> handler that
/// does the work and only renames its answer into the seed's shape, so both ways in accept, check and store alike.
/// </summary>
internal static class SeedCompatibilityEndpoints
{
    public const string Tag = "Seed 001 compatibility";

    public static string StatusUrl(string jobId) => "/status/" + jobId;

    public static RouteGroupBuilder MapSeedCompatibilityEndpoints(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.WithTags(Tag);
        var submits = group.MapGroup("").WithSubmitConventions();
        submits.MapPost("/upload", UploadAsync)
            .WithName("SeedUpload")
            .WithSummary("Seed 001: submit an image (multipart field 'file') to the model Api:SeedRoutes:Model")
            .WithDescription("POST /api/detect/{model}/image with the seed's answer: {job_id, filename, file_size, status: \"submitted\", message}.")
            .AcceptsDocumented(new DocumentedBody(MediaTypes.Multipart, typeof(ImageUploadForm)))
            .WithBodyLimit(o => o.MaxImageBytes, "Api:MaxImageBytes");
        submits.MapPost("/batch-upload", BatchUploadAsync)
            .WithName("SeedBatchUpload")
            .WithSummary("Seed 001: submit several images (multipart field 'files', repeated) as one batch")
            .WithDescription("POST /api/detect/{model}/batch with the seed's names: one job_id per accepted file.")
            .AcceptsDocumented(new DocumentedBody(MediaTypes.Multipart, typeof(BatchUploadForm)))
            .WithBodyLimit(o => o.MaxBatchBytes, "Api:MaxBatchBytes");
        group.MapGet("/status/{job_id}", StatusAsync)
            .WithName("SeedStatus")
            .WithSummary("Seed 001: a job's status, updated_at (seconds since the epoch) and, once completed, its results")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/stats", StatsAsync)
            .WithName("SeedStats")
            .WithSummary("Seed 001: jobs waiting, running and ended, summed over the queues of GET /api/queues");
        group.MapGet("/queue-status", QueueStatusAsync)
            .WithName("SeedQueueStatus")
            .WithSummary("Seed 001: the backlog in total and per queue");
        group.MapGet("/health", HealthAsync)
            .WithName("SeedHealth")
            .WithSummary("Seed 001: healthy, degraded or unhealthy (503), from the readiness checks of /readyz")
            .Produces<SeedHealth>(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    internal static async Task<Results<Accepted<SeedUploadAccepted>, ProblemHttpResult>> UploadAsync(
        HttpRequest request,
        ModelCatalog catalog,
        TaskSubmitter submitter,
        IModelReportStore reports,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        if (ModelProblem(catalog, options.Value) is { } modelProblem)
        {
            return modelProblem;
        }

        var submitted = await DetectEndpoints.SubmitImageAsync(options.Value.SeedRoutes.Model, request, catalog, submitter, reports, options, outbound, cancellationToken);
        if (submitted.Result is not Accepted<TaskAccepted> { Value: { } accepted })
        {
            return (ProblemHttpResult)submitted.Result;
        }

        // The form is read and cached by the submit; a JSON submit (by URL or key) has no file.
        var file = request.HasFormContentType ? request.Form.Files.GetFile("file") : null;
        var body = new SeedUploadAccepted(
            accepted.TaskId, DetectEndpoints.SafeFileName(file?.FileName), file?.Length ?? 0,
            SeedJobStatus.StatusName(accepted.Status), "Image submitted for processing");
        return TypedResults.Accepted(StatusUrl(accepted.TaskId), body);
    }

    internal static async Task<Results<Accepted<SeedBatchAccepted>, ProblemHttpResult>> BatchUploadAsync(
        HttpRequest request,
        ModelCatalog catalog,
        BatchSubmitter submitter,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        if (ModelProblem(catalog, options.Value) is { } modelProblem)
        {
            return modelProblem;
        }

        var submitted = await BatchEndpoints.SubmitBatchAsync(options.Value.SeedRoutes.Model, request, catalog, submitter, options, outbound, cancellationToken);
        return submitted.Result switch
        {
            Accepted<BatchAccepted> { Value: { } batch } => TypedResults.Accepted(BatchEndpoints.StatusUrl(batch.BatchId), SeedBatchAccepted.From(batch)),
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("A batch submit answers 202 or a problem."),
        };
    }

    internal static async Task<Results<Ok<SeedJobStatus>, ProblemHttpResult>> StatusAsync(
        [FromRoute(Name = "job_id")] string jobId,
        ITaskStore tasks,
        IQueueInspector queues,
        IPipelineRunStore runs,
        [FromServices] IObjectBucket? bucket,
        CancellationToken cancellationToken)
    {
        var found = await TaskEndpoints.GetAsync(jobId, null, tasks, queues, runs, bucket, cancellationToken);
        return found.Result switch
        {
            Ok<TaskView> { Value: { } task } => TypedResults.Ok(SeedJobStatus.From(task)),
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("A task read answers 200 or a problem."),
        };
    }

    internal static async Task<Ok<SeedStats>> StatsAsync(
        ModelCatalog catalog, IQueueInspector inspector, ITaskStore tasks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var queues = await QueueEndpoints.QueuesAsync(catalog, inspector, tasks, clock, cancellationToken);
        return TypedResults.Ok(SeedStats.From(queues.Value!, clock.GetUtcNow()));
    }

    internal static async Task<Ok<SeedQueueStatus>> QueueStatusAsync(
        ModelCatalog catalog, IQueueInspector inspector, ITaskStore tasks, TimeProvider clock, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        var queues = await QueueEndpoints.QueuesAsync(catalog, inspector, tasks, clock, cancellationToken);
        return TypedResults.Ok(SeedQueueStatus.From(queues.Value!, options.Value.MaxQueuedPerQueue, clock.GetUtcNow()));
    }

    internal static async Task<Results<Ok<SeedHealth>, JsonHttpResult<SeedHealth>>> HealthAsync(
        HealthCheckService health, TimeProvider clock, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(HealthTags.Ready), cancellationToken);
        var body = SeedHealth.From(report, clock.GetUtcNow());
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(body);
    }

    /// <summary>The seed's routes name no model: a setting does, and a wrong one is the server's fault, not the client's.</summary>
    private static ProblemHttpResult? ModelProblem(ModelCatalog catalog, ApiOptions options) =>
        catalog.TryGet(options.SeedRoutes.Model, out _)
            ? null
            : Problems.Unavailable($"Api:SeedRoutes:Model names '{options.SeedRoutes.Model}', which is not configured; set it to one of: {string.Join(", ", catalog.Keys)}.");
}

using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// <c>GET /api/pipelines</c>: the configured pipelines with their definitions; <c>POST /api/pipelines/{name}/image</c>:
/// run one on an image (one task, 202 at once, like the detect endpoints); <c>GET /info</c>: the service, its
/// pipelines and models, in the shape seed 002's clients read.
/// </summary>
internal static class PipelineEndpoints
{
    public const string ServiceName = "faceobject";

    public static RouteGroupBuilder MapPipelineEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/pipelines").WithTags("Pipelines");
        group.MapGet("/", List)
            .WithName("ListPipelines")
            .WithSummary("The configured pipelines: stages, models and actions");
        app.MapGroup("/pipelines/{name}")
            .WithTags("Pipelines")
            .WithSubmitConventions()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapPost("/image", SubmitAsync)
            .WithName("RunPipeline")
            .WithSummary("Run a pipeline on an image: one task whose stages run on their models' queues")
            .WithDescription("The image as the multipart field 'file', or JSON naming it: {\"image_url\": ...} or {\"image_key\": ...}, as for "
                + "POST /api/detect/{model}/image. Of the options only callback_url applies: the models' settings come from the definition. "
                + "GET /api/task/{id} shows each stage while it runs and the pipeline's result once it has ended.")
            .AcceptsDocumented(
                new DocumentedBody(MediaTypes.Multipart, typeof(ImageUploadForm)),
                new DocumentedBody(MediaTypes.Json, typeof(ImageUrlRequest), typeof(ImageKeyRequest)))
            .WithBodyLimit(o => o.MaxImageBytes, "Api:MaxImageBytes");
        return group;
    }

    public static RouteHandlerBuilder MapServiceInfo(this IEndpointRouteBuilder app) =>
        app.MapGet("/info", Info)
            .WithTags("Pipelines")
            .WithName("ServiceInfo")
            .WithSummary("The service, its pipelines and its models");

    internal static async Task<Results<Accepted<TaskAccepted>, ProblemHttpResult>> SubmitAsync(
        string name,
        HttpRequest request,
        PipelineCatalog pipelines,
        TaskSubmitter submitter,
        IModelReportStore reports,
        IOptions<ApiOptions> options,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        if (!pipelines.TryGet(name, out _))
        {
            var known = string.Join(", ", pipelines.Names);
            return Problems.NotFound($"No pipeline '{name}' is configured. Pipelines: {(known.Length > 0 ? known : "none (see docs/pipelines.md)")}.");
        }

        return await DetectEndpoints.SubmitToAsync(name, TaskKind.Pipeline, request, submitter, reports, options, outbound, cancellationToken);
    }

    internal static Ok<PipelineView[]> List(PipelineCatalog pipelines) =>
        TypedResults.Ok(pipelines.Names.Select(name => View(name, pipelines)).ToArray());

    internal static Ok<ServiceInfoView> Info(PipelineCatalog pipelines, ModelCatalog models) =>
        TypedResults.Ok(new ServiceInfoView(ServiceName, "ok", [.. pipelines.Names], [.. models.Keys]));

    private static PipelineView View(string name, PipelineCatalog pipelines)
    {
        pipelines.TryGet(name, out var definition);
        var models = new[] { definition.Detect?.Model, definition.Blur?.Model }
            .Concat(definition.Branches.Select(b => b.Model))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return new PipelineView(name, definition.Description, models, definition);
    }
}

/// <summary>One pipeline: its name, the models it runs (in stage order) and its definition as configured.</summary>
internal sealed record PipelineView(string Name, string? Description, string[] Models, PipelineDefinition Definition);

/// <summary>Seed 002's <c>/info</c>: the service's name and status, the pipelines a <c>/process</c> call may name, the models.</summary>
internal sealed record ServiceInfoView(string Service, string Status, string[] Pipelines, string[] Models);

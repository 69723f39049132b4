using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// <c>GET /api/pipelines</c>: the configured pipelines with their definitions; <c>GET /info</c>: the service, its
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
        return group;
    }

    public static RouteHandlerBuilder MapServiceInfo(this IEndpointRouteBuilder app) =>
        app.MapGet("/info", Info)
            .WithTags("Pipelines")
            .WithName("ServiceInfo")
            .WithSummary("The service, its pipelines and its models");

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

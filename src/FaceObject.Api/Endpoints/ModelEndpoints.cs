using FaceObject.Core.Models;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary><c>GET /api/models</c>: what can be asked for, and on which queue it runs.</summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");
        group.MapGet("/", List).WithSummary("The configured models and their queues");
        return group;
    }

    internal static Ok<ModelView[]> List(ModelCatalog catalog) => TypedResults.Ok(catalog.Keys
        .Select(key =>
        {
            var model = catalog.Get(key);
            return new ModelView(key, catalog.QueueOf(key), model.Type, model.Path, model.ScoreThreshold, model.NmsThreshold, model.Device);
        })
        .ToArray());
}

using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// <c>GET /api/models</c>: what can be asked for, on which queue it runs, and what the processes serving it really
/// loaded (execution provider, input size, classes, thresholds), from the reports they publish.
/// </summary>
internal static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/models").WithTags("Models");
        group.MapGet("/", ListAsync)
            .WithName("ListModels")
            .WithSummary("The configured models, their queues, and what the workers serving them report");
        return group;
    }

    internal static async Task<Ok<ModelView[]>> ListAsync(ModelCatalog catalog, IModelReportStore reports, CancellationToken cancellationToken)
    {
        var byModel = (await reports.GetAllAsync(cancellationToken)).ToLookup(r => r.Model, StringComparer.Ordinal);
        return TypedResults.Ok(catalog.Keys.Select(key => View(key, catalog, byModel[key])).ToArray());
    }

    internal static ModelView View(string key, ModelCatalog catalog, IEnumerable<ModelReport> reports)
    {
        var options = catalog.Get(key);
        var servers = reports.OrderByDescending(r => r.ReportedAt).ThenBy(r => r.Server, StringComparer.Ordinal).ToList();
        var file = Path.GetFileName(options.Path);
        if (servers.Count == 0)
        {
            var input = options is { InputWidth: { } width, InputHeight: { } height } ? new ModelInputView(width, height) : null;
            return new ModelView(key, catalog.QueueOf(key), options.Type, file, false, null, options.Device, input, null, null,
                options.ScoreThreshold, options.NmsThreshold, []);
        }

        // The newest report describes the model; servers loading the same configuration agree on it anyway.
        var latest = servers[0];
        var devices = servers.Select(s => s.Device).Distinct(StringComparer.Ordinal).ToList();
        return new ModelView(
            key,
            catalog.QueueOf(key),
            latest.Type,
            latest.File,
            true,
            devices.Count == 1 ? devices[0] : "mixed",
            options.Device,
            new ModelInputView(latest.InputWidth, latest.InputHeight),
            latest.ClassNames.Count,
            latest.ClassNames,
            latest.ScoreThreshold,
            latest.NmsThreshold,
            servers.Select(s => new ModelServerView(s.Server, s.Device, s.IntraOpThreads, s.WorkerThreads, s.LoadedAt, s.ReportedAt)).ToArray());
    }
}

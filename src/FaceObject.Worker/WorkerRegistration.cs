using System.Globalization;
using FaceObject.Processing;
using FaceObject.Processing.Models;
using FaceObject.Storage;
using Prometheus;

namespace FaceObject.Worker;

internal static class WorkerRegistration
{
    /// <summary>
    /// Storage plus processing for the queues named by <c>--queues a,b</c> or <c>Worker:Queues</c>, and an HTTP
    /// port (<c>Worker:MetricsPort</c>; 0 lets the OS pick, so several local workers never collide) for probes and
    /// Prometheus. Workers export their own metrics there because each one knows its inference times and its
    /// execution provider; scraping every pod is what Prometheus does anyway.
    /// </summary>
    public static WebApplicationBuilder AddFaceObjectWorker(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddFaceObjectDefaults();
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--queues"] = "Worker:QueueList" });
        builder.AddFaceObjectStorage();

        var queues = (builder.Configuration["Worker:QueueList"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.AddFaceObjectProcessing(queues);

        var port = builder.Configuration.GetValue("Worker:MetricsPort", 0);
        var host = builder.Configuration["Worker:MetricsHost"] ?? "0.0.0.0";
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
        return builder;
    }

    public static WebApplication MapWorkerEndpoints(this WebApplication app)
    {
        app.MapGet("/livez", () => TypedResults.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (LoadedModels models, StorageProbe storage) =>
            models.IsLoaded && await storage.IsReachableAsync()
                ? Results.Ok(new { status = "ready", models = models.All.Select(m => new { m.Key, m.Info.Device }) })
                : Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMetrics("/metrics");
        return app;
    }
}

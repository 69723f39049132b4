using FaceObject.Processing;
using FaceObject.ServiceDefaults;
using FaceObject.ServiceDefaults.Health;
using FaceObject.Storage;

namespace FaceObject.Worker;

internal static partial class WorkerRegistration
{
    /// <summary>
    /// Storage plus processing for the queues named by <c>--queues a,b</c> or <c>Worker:Queues</c>, and an HTTP
    /// port (<c>Worker:MetricsPort</c>; 0 lets the OS pick, so several local workers never collide) for probes and
    /// Prometheus. Workers export their own metrics there because each one knows its inference times and its
    /// execution provider; scraping every pod is what Prometheus does anyway.
    /// </summary>
    public static WebApplicationBuilder AddFaceObjectWorker(this WebApplicationBuilder builder, string[] args)
    {
        builder.AddServiceDefaults();
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--queues"] = "Worker:QueueList" });
        builder.AddFaceObjectStorage();

        var queues = (builder.Configuration["Worker:QueueList"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.AddFaceObjectProcessing(queues);
        builder.Services.AddHealthChecks().AddCheck<ModelsHealthCheck>("models", tags: [HealthTags.Ready]);

        builder.WebHost.UseUrls(MetricsEndpoint.Url(builder.Configuration));
        return builder;
    }

    public static WebApplication MapFaceObjectWorker(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger, app.Urls));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker probes and metrics on {Urls}")]
    private static partial void LogListening(ILogger logger, ICollection<string> urls);
}

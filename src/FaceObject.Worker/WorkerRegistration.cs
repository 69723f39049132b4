using FaceObject.Processing;
using FaceObject.ServiceDefaults;
using FaceObject.ServiceDefaults.Health;
using FaceObject.Storage;
using FaceObject.Streaming;

namespace FaceObject.Worker;

internal static partial class WorkerRegistration
{
    /// <summary>Makes the worker a stream worker (or <c>Worker:Streams=true</c>): it takes live streams besides, or instead of, queues.</summary>
    public const string StreamsSwitch = "--streams";

    /// <summary>
    /// Storage plus processing for the queues named by <c>--queues a,b</c> or <c>Worker:Queues</c>, live streams with
    /// <c>--streams</c>, and an HTTP
    /// port (<c>Worker:MetricsPort</c>; 0 lets the OS pick, so several local workers never collide) for probes and
    /// Prometheus. Workers export their own metrics there because each one knows its inference times and its
    /// execution provider; scraping every pod is what Prometheus does anyway.
    /// </summary>
    public static WebApplicationBuilder AddFaceObjectWorker(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        builder.AddServiceDefaults();

        // --streams is a bare switch, which the command-line configuration provider cannot read.
        var streams = args.Contains(StreamsSwitch, StringComparer.Ordinal);
        builder.Configuration.AddCommandLine([.. args.Where(a => a != StreamsSwitch)], new Dictionary<string, string> { ["--queues"] = "Worker:QueueList" });
        streams |= builder.Configuration.GetValue<bool>("Worker:Streams");
        builder.AddFaceObjectStorage();

        var queues = (builder.Configuration["Worker:QueueList"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var configuredQueues = builder.Configuration.GetSection("Worker:Queues").Get<string[]>() ?? [];

        // A stream worker serves queues only when it is told which; otherwise it reads streams and nothing else.
        builder.AddFaceObjectProcessing(queues, serveQueues: !streams || queues.Length > 0 || configuredQueues.Length > 0);
        if (streams)
        {
            builder.AddFaceObjectStreaming();
        }

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

using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Inference;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using FaceObject.Processing.Models;
using FaceObject.Storage;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing;

public static class ProcessingRegistration
{
    /// <summary>
    /// Makes this process a worker for <paramref name="queues"/> (all model queues when empty): loads and warms up
    /// their models first, then runs one Hangfire server per queue so one busy model cannot starve another.
    /// Call <see cref="StorageRegistration.AddFaceObjectStorage"/> first.
    /// </summary>
    public static IHostApplicationBuilder AddFaceObjectProcessing(this IHostApplicationBuilder builder, IReadOnlyCollection<string>? queues = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var catalog = StorageRegistration.ReadModelCatalog(builder.Configuration);
        var options = builder.Configuration.GetSection(ProcessingOptions.Section).Get<ProcessingOptions>() ?? new ProcessingOptions();
        IEnumerable<string> requested = queues is { Count: > 0 } ? queues : options.Queues;
        var served = ResolveQueues(catalog, requested);

        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // The host must wait for Hangfire's own graceful stop, or jobs in hand are cut off before they can finish.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        services.AddSingleton(new ServedQueues(served));
        services.AddSingleton<DetectorFactory>();
        services.AddSingleton<LoadedModels>();
        services.AddTransient<IDetectionJob, DetectionJob>();
        services.AddSingleton<ImagePipeline>();
        services.AddSingleton<TaskFailureFilter>();

        // Order matters: hosted services start in registration order, so models load before any server fetches, and
        // stop in reverse, so the reports are withdrawn only after the servers have finished their jobs.
        services.AddHostedService<ModelLoader>();
        services.AddHostedService<ModelReportPublisher>();
        foreach (var queue in served)
        {
            services.AddHangfireServer((provider, server) => ConfigureServer(provider, server, queue));
        }

        return builder;
    }

    private static IReadOnlyList<string> ResolveQueues(ModelCatalog catalog, IEnumerable<string> requested)
    {
        var queues = requested
            .SelectMany(q => q.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (queues.Count == 0)
        {
            return catalog.Queues;
        }

        var unknown = queues.Except(catalog.Queues, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new OptionsValidationException(ProcessingOptions.Section, typeof(ProcessingOptions),
                [$"Unknown queue(s) {string.Join(", ", unknown)}: configured model queues are {string.Join(", ", catalog.Queues)}."]);
        }

        return queues;
    }

    private static void ConfigureServer(IServiceProvider provider, BackgroundJobServerOptions server, string queue)
    {
        var options = provider.GetRequiredService<IOptions<ProcessingOptions>>().Value;
        server.ServerName = ProcessIdentity.HangfireServer(queue);
        server.Queues = [queue];
        server.WorkerCount = options.EffectiveWorkerCount;
        server.ShutdownTimeout = options.ShutdownTimeout;
        server.StopTimeout = options.ShutdownTimeout;
        server.FilterProvider = CreateFilters(provider, options);
    }

    /// <summary>Hangfire's global filters with our retry policy in place of the default one, plus task bookkeeping.</summary>
    private static JobFilterProviderCollection CreateFilters(IServiceProvider provider, ProcessingOptions options)
    {
        var filters = new JobFilterCollection();
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is not AutomaticRetryAttribute))
        {
            filters.Add(filter.Instance, filter.Order);
        }

        filters.Add(new AutomaticRetryAttribute
        {
            Attempts = options.RetryAttempts,
            DelaysInSeconds = [1, 5, 15, 30, 60],
            ExceptOn = [typeof(TaskFailedException)],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
        filters.Add(provider.GetRequiredService<TaskFailureFilter>());
        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}

using FaceObject.Core.Jobs;
using FaceObject.Core.Models;
using FaceObject.Inference;
using FaceObject.Inference.Classification;
using FaceObject.Processing.Callbacks;
using FaceObject.Processing.FaultTesting;
using FaceObject.Processing.Fetching;
using FaceObject.Processing.Hosting;
using FaceObject.Processing.Jobs;
using FaceObject.Processing.Models;
using FaceObject.Processing.Pipelines;
using FaceObject.SafeHttp;
using FaceObject.Storage;
using FaceObject.Storage.Postgres;
using FaceObject.Tracking;
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
    /// Call <see cref="StorageRegistration.AddFaceObjectStorage"/> and the host defaults (which register the validated
    /// <see cref="ModelCatalog"/>) first. With <paramref name="serveQueues"/> false the host loads every configured model
    /// and serves no queue at all: a stream-only worker.
    /// </summary>
    public static IHostApplicationBuilder AddFaceObjectProcessing(this IHostApplicationBuilder builder, IReadOnlyCollection<string>? queues = null,
        bool serveQueues = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var catalog = RegisteredCatalog(services);
        var options = builder.Configuration.GetSection(ProcessingOptions.Section).Get<ProcessingOptions>() ?? new ProcessingOptions();
        IEnumerable<string> requested = queues is { Count: > 0 } ? queues : options.Queues;
        IReadOnlyList<string> served = serveQueues ? ResolveQueues(catalog, requested) : [];

        services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // The host must wait for Hangfire's own graceful stop, or jobs in hand are cut off before they can finish.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        services.AddSingleton(new ServedQueues(served, AllModels: !serveQueues));
        services.AddSingleton<DetectorFactory>();
        services.AddSingleton<ClassifierFactory>();
        services.AddSingleton<LoadedModels>();
        services.AddTransient<IDetectionJob, DetectionJob>();
        services.AddTransient<TaskDetection>();
        services.AddSingleton<ResultObjects>();
        services.AddScoped<JobBundle>();
        services.AddSingleton<BundleAwareJobActivator>();
        services.AddSingleton<TaskRunner>();
        services.AddSingleton<VideoDetection>();
        services.AddOptions<TrackerOptions>().BindConfiguration(TrackerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImagePipeline>();
        services.AddSingleton<TaskFailureFilter>();
        services.AddSingleton<PayloadRetention>();
        AddInputsAndCallbacks(services);
        AddPipelines(services);
        services.AddPipelineRecords(builder.Configuration);
        var faultTesting = builder.Configuration.GetSection(FaultTestingOptions.Section).Get<FaultTestingOptions>() ?? new FaultTestingOptions();
        if (faultTesting.PauseAt != JobPausePoint.None)
        {
            services.AddSingleton(faultTesting);
            services.AddSingleton<JobPauseFilter>();
        }

        // Order matters: hosted services start in registration order, so this host is alive and its models are loaded
        // before any server fetches, and stop in reverse, so the reports and the liveness key are withdrawn only after
        // the servers have finished their jobs.
        services.AddProcessLiveness();
        if (serveQueues)
        {
            services.AddHostedService<PipelineRecordCheck>();
        }

        services.AddHostedService<ModelLoader>();
        services.AddHostedService<ModelReportPublisher>();
        foreach (var queue in served)
        {
            services.AddHangfireServer((provider, server) => ConfigureServer(provider, server, queue));
        }

        // Every host that serves queues also delivers callbacks, so they go out wherever tasks end.
        if (serveQueues)
        {
            services.AddHangfireServer(ConfigureCallbackServer);
            services.AddHangfireServer(ConfigurePipelineServer);
        }

        return builder;
    }

    /// <summary>
    /// The catalog the host registered: which servers to add depends on it, so it is needed now, before the container
    /// exists, and it is read and validated once, by the host defaults, for every part of the host.
    /// </summary>
    private static ModelCatalog RegisteredCatalog(IServiceCollection services) =>
        services.Where(s => s.ServiceType == typeof(ModelCatalog)).Select(s => s.ImplementationInstance).OfType<ModelCatalog>().LastOrDefault()
        ?? throw new InvalidOperationException("No ModelCatalog instance is registered: call the host defaults (AddServiceDefaults) before AddFaceObjectProcessing.");

    /// <summary>Fetching image URLs and delivering callbacks, both through the guarded HttpClient.</summary>
    private static void AddInputsAndCallbacks(IServiceCollection services)
    {
        services.AddSafeHttp();
        services.AddOptions<ImageLimits>().BindConfiguration(ImageLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImageFetcher>();
        services.AddSingleton<TaskInputLoader>();
        services.AddSingleton<CallbackPoster>();
        services.AddTransient<ICallbackJob, CallbackJob>();
        services.AddTransient<IStreamCallbackJob, StreamCallbackJob>();
    }

    /// <summary>Pipeline runs: the coordinator on the pipelines queue, the stages on the model queues, the actions.</summary>
    private static void AddPipelines(IServiceCollection services)
    {
        services.AddSingleton<StageWork>();
        services.AddSingleton<PipelineStageRunner>();
        services.AddSingleton<PipelineActions>();
        services.AddSingleton<PipelineFinisher>();
        services.AddSingleton<PipelineCoordinator>();
        services.AddTransient<IPipelineJob, PipelineJob>();
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
        server.FilterProvider = CreateModelQueueFilters(options.RetryAttempts, [1, 5, 15, 30, 60], provider.GetRequiredService<TaskFailureFilter>(),
            provider.GetService<JobPauseFilter>());
        server.Activator = provider.GetRequiredService<BundleAwareJobActivator>();

        // Lightweight: no schedulers or storage-wide watchers here; the callbacks server runs one set per process.
        server.IsLightweightServer = true;
    }

    /// <summary>
    /// The filters of a model queue's server: the lease back-off, the retry policy (no retry for a task that can
    /// never succeed), then the task bookkeeping. Internal so the filter tests run exactly this set.
    /// </summary>
    internal static JobFilterProviderCollection CreateModelQueueFilters(int retryAttempts, int[] delaysInSeconds, TaskFailureFilter taskFailure,
        JobPauseFilter? pause = null) =>
        CreateFilters(
            new AutomaticRetryAttribute
            {
                Attempts = retryAttempts,
                DelaysInSeconds = delaysInSeconds,
                ExceptOn = [typeof(TaskFailedException)],
                OnAttemptsExceeded = AttemptsExceededAction.Fail,
            },
            pause is null ? [taskFailure] : [taskFailure, pause]);

    /// <summary>
    /// The callbacks server: its own few threads (deliveries wait on receivers, not the CPU) and a retry policy of
    /// <c>Callbacks:RetryDelays</c>. The store counts attempts and decides when they are used up; Hangfire's limit has
    /// two spare retries so a storage hiccup cannot end the retries before the store has said so.
    /// </summary>
    private static void ConfigureCallbackServer(IServiceProvider provider, BackgroundJobServerOptions server)
    {
        var processing = provider.GetRequiredService<IOptions<ProcessingOptions>>().Value;
        var callbacks = provider.GetRequiredService<IOptions<CallbackOptions>>().Value;
        var delays = callbacks.RetryDelaySeconds.DefaultIfEmpty(1).ToList();
        delays.AddRange([delays[^1], delays[^1]]);
        server.ServerName = ProcessIdentity.HangfireServer(QueueNames.Callbacks);
        server.Queues = [QueueNames.Callbacks];
        server.WorkerCount = callbacks.WorkerCount;
        server.ShutdownTimeout = processing.ShutdownTimeout;
        server.StopTimeout = processing.ShutdownTimeout;

        // Retries and pipeline branch timeouts are scheduled jobs; this server's scheduler moves them to their queues
        // (any queue's), each second so a timeout fires within about a second of its time.
        server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        server.FilterProvider = CreateFilters(new AutomaticRetryAttribute
        {
            Attempts = delays.Count,
            DelaysInSeconds = [.. delays],
            ExceptOn = [typeof(CallbackFailedException)],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        });
    }

    /// <summary>
    /// The pipelines queue: moving runs from step to step and their actions. A few threads (they mostly wait on the
    /// stores), and retries spread over about five minutes, so an action whose database is down for a while still
    /// writes its row once it is back; after that the run's task fails with the reason.
    /// </summary>
    private static void ConfigurePipelineServer(IServiceProvider provider, BackgroundJobServerOptions server)
    {
        var processing = provider.GetRequiredService<IOptions<ProcessingOptions>>().Value;
        server.ServerName = ProcessIdentity.HangfireServer(QueueNames.Pipelines);
        server.Queues = [QueueNames.Pipelines];
        server.WorkerCount = 4;
        server.ShutdownTimeout = processing.ShutdownTimeout;
        server.StopTimeout = processing.ShutdownTimeout;
        server.IsLightweightServer = true;
        server.FilterProvider = CreateFilters(new AutomaticRetryAttribute
        {
            Attempts = 10,
            DelaysInSeconds = [1, 2, 5, 10, 20, 30, 60, 60, 60, 60],
            OnAttemptsExceeded = AttemptsExceededAction.Fail,
        }, provider.GetRequiredService<TaskFailureFilter>());
    }

    /// <summary>
    /// Hangfire's global filters with our retry policy in place of the default one, plus task bookkeeping. Culture
    /// capture and continuations are left out: no job here uses them, and each cost Redis reads on every job.
    /// </summary>
    private static JobFilterProviderCollection CreateFilters(AutomaticRetryAttribute retry, params object[] extra)
    {
        var filters = new JobFilterCollection();
        foreach (var filter in GlobalJobFilters.Filters.Where(f => f.Instance is not (AutomaticRetryAttribute or CaptureCultureAttribute or ContinuationsSupportAttribute)))
        {
            filters.Add(filter.Instance, filter.Order);
        }

        // Before the retry filter (order 20): a delivery that found its task leased elsewhere is rescheduled, not retried.
        filters.Add(new LeaseBackoffFilter(), order: 0);
        filters.Add(retry);
        foreach (var filter in extra)
        {
            filters.Add(filter);
        }

        return new JobFilterProviderCollection(filters, new JobFilterAttributeFilterProvider());
    }
}

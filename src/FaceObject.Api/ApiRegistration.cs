using FaceObject.Api.Endpoints;
using FaceObject.Api.Health;
using FaceObject.Api.Infrastructure;
using FaceObject.Api.Ingestion;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Streams;
using FaceObject.Api.Submissions;
using FaceObject.Core;
using FaceObject.SafeHttp;
using FaceObject.ServiceDefaults;
using FaceObject.ServiceDefaults.Configuration;
using FaceObject.ServiceDefaults.Health;
using FaceObject.Storage;
using FaceObject.Tracking;
using Hangfire;
using Prometheus;
using Scalar.AspNetCore;

namespace FaceObject.Api;

public static class ApiRegistration
{
    /// <summary>Request bodies up to this size are buffered in memory while the form is read.</summary>
    private const int UploadMemoryBuffer = 1024 * 1024;

    /// <summary>
    /// Everything the API needs to accept, enqueue and report tasks; it runs none. Alone (the API host) it needs
    /// <c>ConnectionStrings:Redis</c>, where workers fetch its jobs; <paramref name="processedInProcess"/> is for a
    /// host that also adds the processing (the all-in-one host), which may keep everything in memory.
    /// </summary>
    /// <exception cref="HostConfigurationException">Enqueue-only without Redis: nothing could ever run the tasks.</exception>
    public static WebApplicationBuilder AddFaceObjectApi(this WebApplicationBuilder builder, bool processedInProcess = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDefaults();
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DashboardOptionsSettings>().BindConfiguration(DashboardOptionsSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.AddFaceObjectStorage() == StorageMode.Memory && !processedInProcess)
        {
            throw new HostConfigurationException(
                "ConnectionStrings:Redis is not set, and this API only enqueues: tasks it accepted could never run. "
                + "Set ConnectionStrings:Redis (the Redis your workers use), or run the all-in-one host (scripts/run.sh, src/FaceObject.AllInOne) to process in one process.");
        }

        services.AddSafeHttp();
        services.AddHealthChecks().AddCheck<QueuesServedHealthCheck>("queues", tags: [HealthTags.Ready]);
        var apiOptions = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();

        services.ConfigureHttpJsonOptions(options => FaceObjectJson.Configure(options.SerializerOptions));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.AddMissingDetail);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddFaceObjectOpenApi();
        services.AddSingleton<TaskSubmitter>();
        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<BatchSubmitter>();
        services.AddSingleton<QueueCapacity>();
        AddStreams(services);
        builder.AddIngestion();
        services.AddFaceObjectAccess(apiOptions.Keys, builder.Configuration.GetSection(JwtSettings.Section).Get<JwtSettings>());
        services.AddSubmitRateLimiting(apiOptions.RateLimit);
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section);
        services.AddSingleton<AuditLog>();

        // Kestrel refuses bodies above the largest any endpoint takes (videos, batches) before they are buffered; each
        // endpoint lowers the limit to its own with WithBodyLimit, and checks its exact per-file limits.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = apiOptions.LargestBody + RequestBodyLimit.Slack);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = apiOptions.LargestBody + RequestBodyLimit.Slack;

            // A typical photo upload stays in memory instead of going through a temporary file (ASP.NET's default
            // threshold is 64 KiB); larger bodies, videos and big batches, still spool to disk.
            form.MemoryBufferThreshold = UploadMemoryBuffer;
        });
        return builder;
    }

    /// <summary>Live streams for clients: REST, Server-Sent Events and the WebSocket; the stream workers read the cameras.</summary>
    private static void AddStreams(IServiceCollection services)
    {
        services.AddOptions<StreamApiOptions>().BindConfiguration(StreamApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TrackerOptions>().BindConfiguration(TrackerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StreamRequest>();
        services.AddSingleton<StreamOpener>();
        services.AddSingleton<StreamSubscribers>();
        services.AddHostedService<SubscriberRefresher>();
    }

    public static WebApplication MapFaceObjectApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebSockets();
        app.UseRootWebSocket();

        // Explicitly after the root WebSocket rewrite: routing must see /ws, not the / it arrived on.
        app.UseRouting();
        app.UseHttpMetrics();
        app.UseTryItPage();
        app.UseAuthentication();

        // Around authorization, which authenticates each endpoint's caller: the event names who it was, refused calls included.
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        app.UseRateLimiter();

        var dashboard = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DashboardOptionsSettings>>().Value;
        app.MapHangfireDashboardWithAuthorizationPolicy(AccessPolicies.DashboardPolicy, "/hangfire", new DashboardOptions
        {
            DashboardTitle = "FaceObject jobs",
            IsReadOnlyFunc = _ => dashboard.ReadOnly,
            AppPath = "/",
        });

        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        var api = app.MapGroup("/api").RequireApiKey();
        api.MapDetectEndpoints();
        api.MapBatchEndpoints();
        api.MapTaskEndpoints();
        api.MapModelEndpoints();
        api.MapQueueEndpoints();
        api.MapStreamEndpoints();
        api.MapPipelineEndpoints();
        app.MapServiceInfo().RequireApiKey();
        app.MapProcess().RequireApiKey();
        app.MapCameraImageAlias().RequireApiKey();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.SeedRoutes.Enabled)
        {
            app.MapGroup("").RequireApiKey().MapSeedCompatibilityEndpoints();
        }

        app.MapStreamSocket();
        QueueMetrics.Register(app.Services);
        var metricsNeedKey = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.MetricsRequireKey;
        app.MapDefaultEndpoints(metrics => metrics.RequireApiKey(when: metricsNeedKey));
        return app;
    }
}

using FaceObject.ServiceDefaults.Configuration;
using FaceObject.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Prometheus;

namespace FaceObject.ServiceDefaults;

public static class ServiceDefaultsRegistration
{
    /// <summary>
    /// What every FaceObject host starts with: the shared defaults file under all other configuration, REDIS_URL and
    /// AWS_REGION where FaceObject's own settings are not given, the thread-pool
    /// minimum, UTC ISO timestamps in JSON logs, the validated model catalog, and the liveness and storage readiness
    /// checks. Call first; the host then adds storage (which the storage check needs) and its own checks. A second
    /// call on the same builder does nothing.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(service => service.ServiceType == typeof(ServiceDefaultsMarker)))
        {
            return builder;
        }

        builder.Services.AddSingleton<ServiceDefaultsMarker>();
        builder.Configuration.AddFaceObjectDefaultsFile();
        SeedEnvironment.Apply(builder.Configuration);
        ThreadPoolSetting.Apply(builder.Configuration);

        // The formatter stays selectable (Logging:Console:FormatterName=json or simple); these apply to json.
        builder.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.UseUtcTimestamp = true;
            json.TimestampFormat ??= "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });

        var models = ModelCatalogReader.Read(builder.Configuration);
        builder.Services.AddSingleton(models);
        builder.Services.AddSingleton(PipelineCatalogReader.Read(builder.Configuration, models));
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live])
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary>
    /// <c>/livez</c>, <c>/readyz</c> (checks tagged <see cref="HealthTags.Live"/> and <see cref="HealthTags.Ready"/>)
    /// and Prometheus' <c>/metrics</c>; <paramref name="metrics"/> may add conventions (authorization) to the latter.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Action<IEndpointConventionBuilder>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/livez", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponses.WriteLiveAsync,
        });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponses.WriteReadyAsync,
        });
        var scrape = app.MapMetrics("/metrics");
        metrics?.Invoke(scrape);
        return app;
    }
}

using FaceObject.Api.Endpoints;
using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Submissions;
using FaceObject.Core;
using FaceObject.Processing;
using FaceObject.SafeHttp;
using FaceObject.Storage;
using Hangfire;
using Prometheus;
using Scalar.AspNetCore;

namespace FaceObject.Api;

internal static class ApiRegistration
{
    /// <summary>Request bodies up to this size are buffered in memory while the form is read.</summary>
    private const int UploadMemoryBuffer = 1024 * 1024;

    /// <summary>Everything the API needs; with <c>Api:RunWorkers</c> it also processes every model queue itself.</summary>
    public static WebApplicationBuilder AddFaceObjectApi(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddFaceObjectDefaults();
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DashboardOptionsSettings>().BindConfiguration(DashboardOptionsSettings.Section);
        builder.AddFaceObjectStorage();
        services.AddSafeHttp();

        var apiOptions = builder.Configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
        if (apiOptions.RunWorkers)
        {
            builder.AddFaceObjectProcessing();
        }

        services.ConfigureHttpJsonOptions(options => FaceObjectJson.Configure(options.SerializerOptions));
        services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.AddMissingDetail);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddFaceObjectOpenApi();
        services.AddSingleton<TaskSubmitter>();
        services.AddSingleton<IdempotencyGuard>();
        services.AddSingleton<BatchSubmitter>();
        services.AddSingleton<QueueCapacity>();
        services.AddFaceObjectAccess(apiOptions.Keys);
        services.AddSubmitRateLimiting(apiOptions.RateLimit);

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

    public static WebApplication MapFaceObjectApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics();
        app.UseTryItPage();
        app.UseAuthentication();
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
        app.MapOpsEndpoints();
        QueueMetrics.Register(app.Services);
        var metricsNeedKey = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.MetricsRequireKey;
        app.MapMetrics("/metrics").RequireApiKey(when: metricsNeedKey);
        return app;
    }
}

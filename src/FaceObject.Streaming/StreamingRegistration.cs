using FaceObject.Streaming.Cameras;
using FaceObject.Streaming.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FaceObject.Streaming;

public static class StreamingRegistration
{
    /// <summary>
    /// Makes this host a stream worker: it takes streams under leases and reads, detects and tracks them with the
    /// models this host loaded. Call after the storage and the processing (which loads the models) registrations.
    /// </summary>
    public static IHostApplicationBuilder AddFaceObjectStreaming(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCameraReaders();
        services.AddOptions<StreamWorkerOptions>().BindConfiguration(StreamWorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StreamEventCallbacks>();
        services.AddSingleton<StreamPipelineRuns>();
        services.AddSingleton<StreamSessionFactory>();

        // Registered after the model loader, so it stops before the models are disposed, releasing its streams first.
        services.AddHostedService<StreamSupervisor>();
        return builder;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceObject.Streaming.Cameras;

public static class CameraRegistration
{
    /// <summary>
    /// <c>Streams:*</c> camera options (validated at start: a bad AllowedSources entry stops the process), the
    /// <see cref="CameraSourcePolicy"/> and the <see cref="CameraReaderFactory"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddCameraReaders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(CameraReaderFactory)))
        {
            return services;
        }

        services.AddOptions<CameraReaderOptions>().BindConfiguration(CameraReaderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new CameraSourcePolicy(provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<CameraReaderOptions>>()));
        services.TryAddSingleton<CameraReaderFactory>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceObject.SafeHttp;

public static class SafeHttpRegistration
{
    /// <summary>
    /// <c>Fetch:*</c> options (validated at start: a bad AllowedHosts entry stops the process), the
    /// <see cref="OutboundPolicy"/> and the <see cref="SafeHttpClient"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSafeHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(s => s.ServiceType == typeof(OutboundPolicy)))
        {
            return services;
        }

        services.AddOptions<FetchOptions>().BindConfiguration(FetchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<OutboundPolicy>();
        services.TryAddSingleton<SafeHttpClient>();
        return services;
    }
}

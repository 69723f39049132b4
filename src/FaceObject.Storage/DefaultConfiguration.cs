using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace FaceObject.Storage;

public static class DefaultConfiguration
{
    public const string FileName = "faceobject.defaults.json";

    /// <summary>
    /// Puts the shared defaults (models, TTL, log levels) underneath every other source, so the API and the
    /// worker start from one file and appsettings, environment variables and arguments still override it.
    /// </summary>
    public static IConfigurationBuilder AddFaceObjectDefaults(this IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var source = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, FileName), Optional = false };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
        return configuration;
    }
}

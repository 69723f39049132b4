using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace FaceObject.ServiceDefaults.Configuration;

internal static class DefaultConfiguration
{
    public const string FileName = "faceobject.defaults.json";

    /// <summary>
    /// Puts the shared defaults (models, TTL, log levels) underneath every other source, so every host starts from
    /// one file and appsettings, environment variables and arguments still override it. The file is copied beside
    /// each host's binary by src/Directory.Build.targets.
    /// </summary>
    public static IConfigurationBuilder AddFaceObjectDefaultsFile(this IConfigurationManager configuration)
    {
        var source = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, FileName), Optional = false };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
        return configuration;
    }
}

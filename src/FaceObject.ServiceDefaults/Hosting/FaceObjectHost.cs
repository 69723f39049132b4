using FaceObject.ServiceDefaults.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace FaceObject.ServiceDefaults.Hosting;

/// <summary>Builds and runs a host; a configuration error ends the process with one line saying what is wrong.</summary>
public static class FaceObjectHost
{
    /// <summary>Exit code when a host cannot start because of its configuration (settings or model files).</summary>
    public const int ConfigurationError = 2;

    /// <param name="args">The command line.</param>
    /// <param name="name">How the process names itself in that line, e.g. <c>faceobject-api</c>.</param>
    /// <param name="add">Registers the host's services (its <c>Add…</c> call).</param>
    /// <param name="map">Builds the pipeline (its <c>Map…</c> call).</param>
    /// <param name="isConfigurationError">
    /// Other exception types the host knows to be configuration errors (a model that cannot load), besides
    /// <see cref="OptionsValidationException"/> and <see cref="HostConfigurationException"/>. Anything else is a bug
    /// and keeps its stack trace.
    /// </param>
    /// <returns>0, or <see cref="ConfigurationError"/>.</returns>
    public static int Run(string[] args, string name, Action<WebApplicationBuilder> add, Action<WebApplication> map,
        Func<Exception, bool>? isConfigurationError = null)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(map);
        try
        {
            var builder = WebApplication.CreateBuilder(args);
            add(builder);
            var app = builder.Build();
            map(app);
            app.Run();
            return 0;
        }
        catch (Exception e) when (ConfigurationErrors(e, isConfigurationError) is { Count: > 0 } errors)
        {
            foreach (var error in errors)
            {
                Console.Error.WriteLine($"{name}: cannot start: {error.Message}");
            }

            return ConfigurationError;
        }
    }

    /// <summary>
    /// The configuration errors <paramref name="exception"/> stands for; empty when it is (or holds) anything else.
    /// Start-up validation throws an <see cref="AggregateException"/> when several options sections fail.
    /// </summary>
    private static List<Exception> ConfigurationErrors(Exception exception, Func<Exception, bool>? isConfigurationError)
    {
        var all = exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.ToList() : [exception];
        return all.TrueForAll(e => e is OptionsValidationException or HostConfigurationException || isConfigurationError?.Invoke(e) == true)
            ? all
            : [];
    }
}

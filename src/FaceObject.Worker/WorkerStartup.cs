using FaceObject.Inference;
using Microsoft.Extensions.Options;

namespace FaceObject.Worker;

internal static partial class WorkerStartup
{
    /// <summary>Exit code when the worker cannot start because of its configuration or model files.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Runs the host; a bad model or setting ends the process with one line saying what is wrong.</summary>
    public static int Run(WebApplicationBuilder builder)
    {
        try
        {
            var app = builder.Build();
            app.MapWorkerEndpoints();
            app.Lifetime.ApplicationStarted.Register(() => LogListening(app.Logger, app.Urls));
            app.Run();
            return 0;
        }
        catch (Exception e) when (e is ModelLoadException or OptionsValidationException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"faceobject-worker: cannot start: {e.Message}");
            return ConfigurationError;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker probes and metrics on {Urls}")]
    private static partial void LogListening(ILogger logger, ICollection<string> urls);
}

using FaceObject.Inference;
using Microsoft.Extensions.Options;

namespace FaceObject.Worker;

internal static class WorkerStartup
{
    /// <summary>Exit code when the worker cannot start because of its configuration or model files.</summary>
    public const int ConfigurationError = 2;

    /// <summary>Runs the host; a bad model or setting ends the process with one line saying what is wrong.</summary>
    public static int Run(HostApplicationBuilder builder)
    {
        try
        {
            builder.Build().Run();
            return 0;
        }
        catch (Exception e) when (e is ModelLoadException or OptionsValidationException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"faceobject-worker: cannot start: {e.Message}");
            return ConfigurationError;
        }
    }
}

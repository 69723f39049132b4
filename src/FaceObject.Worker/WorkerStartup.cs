using FaceObject.Inference;
using FaceObject.ServiceDefaults.Hosting;

namespace FaceObject.Worker;

internal static class WorkerStartup
{
    /// <summary>
    /// Runs the worker; a bad setting or a model file that cannot load ends the process with exit code
    /// <see cref="FaceObjectHost.ConfigurationError"/> and one line saying what is wrong. Any other exception is a
    /// bug and ends it with its stack trace.
    /// </summary>
    public static int Run(string[] args) => FaceObjectHost.Run(
        args,
        "faceobject-worker",
        builder => builder.AddFaceObjectWorker(args),
        app => app.MapFaceObjectWorker(),
        isConfigurationError: e => e is ModelLoadException);
}

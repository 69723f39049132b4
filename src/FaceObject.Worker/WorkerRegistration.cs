using FaceObject.Processing;
using FaceObject.Storage;

namespace FaceObject.Worker;

internal static class WorkerRegistration
{
    /// <summary>Storage plus processing for the queues named by <c>--queues a,b</c> or <c>Worker:Queues</c>.</summary>
    public static HostApplicationBuilder AddFaceObjectWorker(this HostApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddFaceObjectDefaults();
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--queues"] = "Worker:QueueList" });
        builder.AddFaceObjectStorage();

        var queues = (builder.Configuration["Worker:QueueList"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.AddFaceObjectProcessing(queues);
        return builder;
    }
}

using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using FaceObject.Processing.Models;
using FaceObject.Storage.Liveness;
using FaceObject.Streaming.Cameras;
using FaceObject.Tracking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Streaming.Runtime;

/// <summary>Makes the sessions of the streams this worker takes, with this process's models, readers and settings.</summary>
internal sealed class StreamSessionFactory(
    IStreamOwnership ownership,
    LoadedModels models,
    CameraReaderFactory readers,
    IOptions<TrackerOptions> tracker,
    IOptions<StreamWorkerOptions> options,
    StreamEventCallbacks callbacks,
    StreamPipelineRuns pipelineRuns,
    ITaskStore tasks,
    TimeProvider time,
    ILoggerFactory loggers)
{
    /// <summary>The owner name written in leases and statuses: this process (<see cref="ProcessInstance.Id"/>).</summary>
    public static string Owner => ProcessInstance.Id;

    /// <summary>Whether this worker has the stream's model loaded; streams of other models are left to workers that have.</summary>
    public bool CanRun(StreamSpec spec) => models.All.Any(m => m.Key == spec.Model);

    public StreamSession Create(StreamSpec spec, StreamLease lease) => new(
        spec, lease, ownership, models.Get(spec.Model), readers, tracker.Value, options.Value, callbacks, pipelineRuns, tasks, time,
        loggers.CreateLogger<StreamSession>());
}

using System.Diagnostics;
using FaceObject.Core.Models;
using FaceObject.Inference;
using FaceObject.Inference.Classification;
using FaceObject.Inference.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using FaceObject.Processing.Hosting;
using FaceObject.Processing.Telemetry;

namespace FaceObject.Processing.Models;

/// <summary>
/// Loads and warms up the models of the served queues at start. Registered before the Hangfire servers, so a
/// model that fails to load stops the process before it has taken a single job.
/// </summary>
internal sealed partial class ModelLoader(
    ModelCatalog catalog,
    ServedQueues served,
    DetectorFactory factory,
    ClassifierFactory classifiers,
    LoadedModels models,
    IOptions<ProcessingOptions> processing,
    ILogger<ModelLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Worker threads each run one image at a time; splitting the cores between them keeps
        // worker threads x intra-op threads at about the core count (1 with the default one worker per core).
        var intraOpThreads = Math.Max(1, Environment.ProcessorCount / processing.Value.EffectiveWorkerCount);

        // The same split for OpenCV's own parallel loops in decoding and preprocessing.
        ImageThreads.Limit(intraOpThreads);
        foreach (var key in served.AllModels ? catalog.Keys : catalog.KeysForQueues(served.ModelQueues))
        {
            var started = Stopwatch.GetTimestamp();
            if (catalog.IsClassifier(key))
            {
                var classifier = classifiers.Create(key, catalog.Get(key), intraOpThreads);
                models.Add(classifier);
                classifier.WarmUp();
                ProcessingMetrics.ModelInfo.WithLabels(key, ModelCatalog.ClassifierType, classifier.Info.Device).Set(1);
                var classifierMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogLoaded(key, ModelCatalog.ClassifierType, classifier.Info.Path, classifier.Info.Device, classifierMs);
                continue;
            }

            var detector = factory.Create(key, catalog.Get(key), intraOpThreads);
            models.Add(detector);
            detector.WarmUp();
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            ProcessingMetrics.ModelInfo.WithLabels(key, detector.Info.Type, detector.Info.Device).Set(1);
            LogLoaded(key, detector.Info.Type, detector.Info.Path, detector.Info.Device, elapsedMs);
        }

        models.MarkLoaded();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Key} ({Type}) loaded from {Path} on {Device} and warmed up in {ElapsedMs:F0} ms")]
    private partial void LogLoaded(string key, string type, string path, string device, double elapsedMs);
}

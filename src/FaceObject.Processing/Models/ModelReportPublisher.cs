using FaceObject.Core.Models;
using FaceObject.Core.Storage;
using FaceObject.Inference;
using FaceObject.Inference.Classification;
using FaceObject.Processing.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Models;

/// <summary>
/// Publishes a <see cref="ModelReport"/> per loaded model at start and every <see cref="Interval"/>, with a
/// <see cref="TimeToLive"/> of four intervals, so <c>GET /api/models</c> sees what this process really runs and
/// stops listing it within a minute of it dying. A graceful stop removes the reports at once. Registered after
/// <see cref="ModelLoader"/> and before the Hangfire servers, so it stops after they have finished their jobs.
/// </summary>
internal sealed partial class ModelReportPublisher(
    LoadedModels models,
    ModelCatalog catalog,
    IModelReportStore reports,
    IOptions<ProcessingOptions> options,
    TimeProvider clock,
    ILogger<ModelReportPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan TimeToLive = Interval * 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loadedAt = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var detector in models.All)
                {
                    await reports.PublishAsync(Report(detector.Info, loadedAt), TimeToLive, stoppingToken);
                }

                foreach (var classifier in models.Classifiers)
                {
                    await reports.PublishAsync(Report(classifier.Info, loadedAt), TimeToLive, stoppingToken);
                }
            }
            catch (StorageUnavailableException e)
            {
                // Redis down: the reports lapse and /api/models says unserved until it is back, which is the truth
                // as far as the API can tell.
                LogPublishFailed(e.Message);
            }

            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            foreach (var key in models.All.Select(d => d.Key).Concat(models.Classifiers.Select(c => c.Key)))
            {
                await reports.RemoveAsync(key, ProcessIdentity.Server, cancellationToken);
            }
        }
        catch (StorageUnavailableException e)
        {
            LogPublishFailed(e.Message);
        }
    }

    private ModelReport Report(DetectorInfo info, DateTimeOffset loadedAt) => new()
    {
        Model = info.Key,
        Queue = catalog.QueueOf(info.Key),
        Server = ProcessIdentity.Server,
        Type = info.Type,
        File = Path.GetFileName(info.Path),
        InputWidth = info.InputWidth,
        InputHeight = info.InputHeight,
        ClassNames = info.ClassNames,
        ScoreThreshold = info.ScoreThreshold,
        NmsThreshold = info.NmsThreshold,
        Device = info.Device,
        IntraOpThreads = info.IntraOpThreads,
        WorkerThreads = options.Value.EffectiveWorkerCount,
        LoadedAt = loadedAt,
        ReportedAt = clock.GetUtcNow(),
    };

    /// <summary>A classifier's report: its class names are each head's, as <c>head/class</c> when it has several heads; no thresholds.</summary>
    private ModelReport Report(ClassifierInfo info, DateTimeOffset loadedAt) => new()
    {
        Model = info.Key,
        Queue = catalog.QueueOf(info.Key),
        Server = ProcessIdentity.Server,
        Type = ModelCatalog.ClassifierType,
        File = Path.GetFileName(info.Path),
        InputWidth = info.InputWidth,
        InputHeight = info.InputHeight,
        ClassNames = info.Heads.Count == 1
            ? info.Heads[0].ClassNames ?? [info.Heads[0].Name]
            : [.. info.Heads.SelectMany(h => h.ClassNames?.Select(n => $"{h.Name}/{n}") ?? [h.Name])],
        ScoreThreshold = 0,
        Device = info.Device,
        IntraOpThreads = info.IntraOpThreads,
        WorkerThreads = options.Value.EffectiveWorkerCount,
        LoadedAt = loadedAt,
        ReportedAt = clock.GetUtcNow(),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model reports could not be published: {Reason}")]
    private partial void LogPublishFailed(string reason);
}

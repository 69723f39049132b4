using FaceObject.Core.Timing;
using FaceObject.Core.Storage;
using FaceObject.Core.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Api.Streams;

/// <summary>
/// Tells the store every few seconds that this replica's WebSocket subscribers are alive. If the replica dies its
/// subscribers lapse, and streams made only by them end, instead of being read for nobody.
/// </summary>
internal sealed partial class SubscriberRefresher(StreamSubscribers subscribers, IStreamStore store, IOptions<StreamApiOptions> options, TimeProvider time,
    ILogger<SubscriberRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SubscriberRefresh, time);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            try
            {
                await store.RefreshAsync(subscribers.Snapshot(), stoppingToken);
            }
            catch (StorageUnavailableException e)
            {
                LogStorageDown(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the WebSocket subscribers: {Reason}")]
    private static partial void LogStorageDown(ILogger logger, string reason);
}

using FaceObject.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace FaceObject.Processing.Callbacks;

/// <summary>
/// POSTs one live-stream event to the stream's callback URL, one attempt per run: a failure is thrown so that Hangfire
/// retries it after the next delay of <c>Callbacks:RetryDelays</c>; a refused address is not retried.
/// </summary>
internal sealed partial class StreamCallbackJob(CallbackPoster poster, ILogger<StreamCallbackJob> logger) : IStreamCallbackJob
{
    public const string StreamIdHeader = "X-FaceObject-Stream-Id";

    public async Task DeliverAsync(string streamId, string eventName, string url, string body, CancellationToken cancellationToken)
    {
        var (error, permanent) = await poster.PostAsync(new Uri(url), eventName, System.Text.Encoding.UTF8.GetBytes(body),
            [new(StreamIdHeader, streamId)], cancellationToken);
        if (error is null)
        {
            LogDelivered(streamId, eventName);
            return;
        }

        LogFailed(streamId, eventName, error);
        if (permanent)
        {
            throw new CallbackFailedException($"Event {eventName} of stream {streamId} cannot be delivered: {error}");
        }

        throw new HttpRequestException($"Event {eventName} of stream {streamId}: {error}");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream {StreamId}: {EventName} delivered")]
    private partial void LogDelivered(string streamId, string eventName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId}: delivering {EventName} failed: {Error}")]
    private partial void LogFailed(string streamId, string eventName, string error);
}

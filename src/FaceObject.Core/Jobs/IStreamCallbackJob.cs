namespace FaceObject.Core.Jobs;

/// <summary>
/// The Hangfire job that POSTs one of a live stream's track events to the stream's <c>callback_url</c>, on the
/// <see cref="QueueNames.Callbacks"/> queue with the task callbacks' retries. The event travels in the job, since a
/// stream keeps no record of its past events. Its type and method names are stored in job data: do not rename them.
/// </summary>
public interface IStreamCallbackJob
{
    /// <summary>Makes one delivery attempt; throws to have Hangfire retry.</summary>
    /// <param name="streamId">The stream the event belongs to (sent as a header).</param>
    /// <param name="eventName">The event, e.g. <c>stream.track.new</c> (sent as a header).</param>
    /// <param name="url">The stream's callback URL.</param>
    /// <param name="body">The event's JSON, sent as it is.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    Task DeliverAsync(string streamId, string eventName, string url, string body, CancellationToken cancellationToken);
}

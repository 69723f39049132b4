namespace FaceObject.Core.Jobs;

/// <summary>
/// The Hangfire job that POSTs an ended task's JSON to its <c>callback_url</c>, on the <see cref="QueueNames.Callbacks"/>
/// queue. Its type and method names are stored in job data: do not rename them.
/// </summary>
public interface ICallbackJob
{
    /// <summary>Makes one delivery attempt; throws to have Hangfire retry. Does nothing once delivered or failed.</summary>
    /// <param name="taskId">The ended task; the job carries nothing else.</param>
    /// <param name="cancellationToken">Replaced by Hangfire with the server's shutdown token.</param>
    Task DeliverAsync(string taskId, CancellationToken cancellationToken);
}

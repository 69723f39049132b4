using FaceObject.Core.Jobs;
using Hangfire;
using Hangfire.States;

namespace FaceObject.Storage.Hangfire;

/// <summary>Enqueues against the <see cref="IDetectionJob"/> interface, so job data names Core's type and never the worker's.</summary>
internal sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public string EnqueueDetection(string queue, string taskId) =>
        client.Enqueue<IDetectionJob>(queue, job => job.RunAsync(taskId, CancellationToken.None));

    public string EnqueueCallback(string taskId) =>
        client.Enqueue<ICallbackJob>(QueueNames.Callbacks, job => job.DeliverAsync(taskId, CancellationToken.None));

    public bool TryCancel(string jobId) =>
        client.ChangeState(jobId, new DeletedState(), EnqueuedState.StateName);
}

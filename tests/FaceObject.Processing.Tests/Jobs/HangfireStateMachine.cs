using FaceObject.Core.Jobs;
using FaceObject.Processing.Jobs;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace FaceObject.Processing.Tests.Jobs;

/// <summary>
/// Hangfire's own state machine over its in-memory storage, with the filters a model queue's server runs
/// (<see cref="ProcessingRegistration.CreateModelQueueFilters"/>, with short retry delays): the lease back-off first,
/// then the retry policy, then the task bookkeeping. A test fails a job the way a worker does, by moving it to <see cref="FailedState"/>.
/// </summary>
internal sealed class HangfireStateMachine
{
    public const int RetryAttempts = 2;

    private readonly JobStorage _storage;
    private readonly BackgroundJobClient _client;

    /// <summary>The state machine over <paramref name="world"/>'s storage, with a task failure filter on its stores.</summary>
    public HangfireStateMachine(JobWorld world)
        : this(world.Hangfire, new TaskFailureFilter(world.Tasks, world.Scheduler, world.Retention, world.Clock))
    {
    }

    public HangfireStateMachine(JobStorage storage, TaskFailureFilter taskFailure)
    {
        _storage = storage;
        _client = new BackgroundJobClient(storage, ProcessingRegistration.CreateModelQueueFilters(RetryAttempts, [1], taskFailure));
    }

    public string EnqueueDetection(string taskId) =>
        _client.Create(Job.FromExpression<IDetectionJob>(job => job.RunAsync(taskId, CancellationToken.None)), new EnqueuedState("face"));

    public string EnqueueCallback(string taskId) =>
        _client.Create(Job.FromExpression<ICallbackJob>(job => job.DeliverAsync(taskId, CancellationToken.None)), new EnqueuedState(QueueNames.Callbacks));

    /// <summary>What a worker does when the job throws: the filters may elect another state than failed (then ChangeState returns false).</summary>
    public void Fail(string jobId, Exception exception) => _client.ChangeState(jobId, new FailedState(exception), null);

    /// <summary>Writes a job parameter as the storage would (the bundling script writes the bundle's this way).</summary>
    public void SetParameter(string jobId, string name, string value)
    {
        using var connection = _storage.GetConnection();
        connection.SetJobParameter(jobId, name, value);
    }

    public StateData State(string jobId)
    {
        using var connection = _storage.GetConnection();
        return connection.GetStateData(jobId);
    }

    public string? RetryCount(string jobId)
    {
        using var connection = _storage.GetConnection();
        return connection.GetJobParameter(jobId, "RetryCount");
    }
}

using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Jobs;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Callbacks;

/// <summary>
/// POSTs an ended task's JSON (the <c>GET /api/task/{id}</c> document) to its callback URL, one attempt per run.
/// Each attempt is recorded in the task's callback state by the store, which also decides when attempts are used
/// up; a failed attempt that leaves the callback pending is thrown, so Hangfire retries it after the next delay of
/// <c>Callbacks:RetryDelays</c>. Re-entrant: a delivered or failed callback is never sent again.
/// </summary>
internal sealed partial class CallbackJob(
    ITaskStore tasks,
    CallbackPoster poster,
    IOptions<CallbackOptions> options,
    TimeProvider clock,
    ILogger<CallbackJob> logger,
    IObjectBucket? bucket = null) : ICallbackJob
{
    public const string TaskIdHeader = "X-FaceObject-Task-Id";
    public const string AttemptHeader = "X-FaceObject-Attempt";

    public async Task DeliverAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(taskId, cancellationToken);
        if (task?.Callback is not { Status: CallbackStatus.Pending } callback)
        {
            LogNothingToDo(taskId, task?.Callback?.Status);
            return;
        }

        var settings = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(TaskView.From(task, bucket?.Name), FaceObjectJson.Options);
        var (error, permanent) = await poster.PostAsync(new Uri(callback.Url), "task." + JsonNamingPolicy.SnakeCaseLower.ConvertName(task.Status.ToString()), body,
            [new(TaskIdHeader, task.TaskId), new(AttemptHeader, (callback.Attempts + 1).ToString(CultureInfo.InvariantCulture))], cancellationToken);
        var attempt = new CallbackAttempt(clock.GetUtcNow(), error, permanent);
        var state = await tasks.RecordCallbackAttemptAsync(taskId, attempt, settings.MaxAttempts, CancellationToken.None);
        switch (state?.Status)
        {
            case null:
                LogNothingToDo(taskId, null);
                return;
            case CallbackStatus.Delivered:
                LogDelivered(taskId, state.Attempts);
                return;
            case CallbackStatus.Failed:
                LogGaveUp(taskId, state.Attempts, state.LastError ?? "");
                throw new CallbackFailedException($"Callback of task {taskId} failed after {state.Attempts} attempt(s): {state.LastError}");
            default:
                LogRetrying(taskId, state.Attempts, settings.MaxAttempts, error ?? "");
                throw new HttpRequestException($"Callback of task {taskId}, attempt {state.Attempts} of {settings.MaxAttempts}: {error}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Task {TaskId}: no callback to deliver (callback {Status})")]
    private partial void LogNothingToDo(string taskId, CallbackStatus? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: callback delivered (attempt {Attempts})")]
    private partial void LogDelivered(string taskId, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: callback attempt {Attempts} of {MaxAttempts} failed, will retry: {Error}")]
    private partial void LogRetrying(string taskId, int attempts, int maxAttempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: callback failed after {Attempts} attempt(s): {Error}")]
    private partial void LogGaveUp(string taskId, int attempts, string error);
}

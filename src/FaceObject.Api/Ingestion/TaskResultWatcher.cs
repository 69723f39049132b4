using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;

namespace FaceObject.Api.Ingestion;

/// <summary>
/// Waits for an ingested task to end and hands its document (what <c>GET /api/task/{id}</c> answers) to a broker's
/// publisher, so producers need not poll or host a webhook. Waits with the store's long poll, never busy-polls.
/// A task whose ingesting process stops before it ends is not published (it stays readable by id).
/// </summary>
internal sealed partial class TaskResultWatcher(ITaskStore tasks, IServiceProvider services, ILogger<TaskResultWatcher> logger)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Publishes <paramref name="taskId"/>'s document (with its status) once it has ended; runs until then or until <paramref name="stopping"/>.</summary>
    public async Task PublishWhenEndedAsync(string taskId, Func<string, string, byte[], Task> publish, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(publish);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var task = await tasks.WaitForEndAsync(taskId, Step, stopping);
                if (task is null)
                {
                    return;
                }

                if (task.Status.IsTerminal())
                {
                    var bucket = services.GetService<IObjectBucket>()?.Name;
                    await publish(taskId, task.Status.ToString().ToLowerInvariant(), JsonSerializer.SerializeToUtf8Bytes(TaskView.From(task, bucket), FaceObjectJson.Options));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is StorageUnavailableException or StackExchange.Redis.RedisException or IOException
            or RabbitMQ.Client.Exceptions.RabbitMQClientException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            LogNotPublished(taskId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: its result could not be published: {Reason}")]
    private partial void LogNotPublished(string taskId, string reason);
}

using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.Extensions.Options;

namespace FaceObject.Processing.Jobs;

/// <summary>
/// With an object bucket (<c>Storage:Kind=s3</c>) a completed task's result document is also the object
/// <c>results/{task_id}.json</c> (docs/storage.md), kept until the task expires. Call before the record completes, so
/// a completed task always has its result object; a storage fault throws and the job is retried.
/// </summary>
internal sealed class ResultObjects(IPayloadStore payloads, IOptions<TaskOptions> taskOptions, TimeProvider clock, IObjectBucket? bucket = null)
{
    public async Task PutAsync(TaskRecord task, string resultJson)
    {
        if (bucket is null)
        {
            return;
        }

        var keep = task.CreatedAt + taskOptions.Value.Ttl - clock.GetUtcNow();
        await payloads.PutAsync(PayloadKeys.Result(task.TaskId), System.Text.Encoding.UTF8.GetBytes(resultJson), keep > TimeSpan.Zero ? keep : TimeSpan.FromMinutes(1),
            CancellationToken.None);
    }
}

using System.Globalization;
using FaceObject.Api.Infrastructure;
using FaceObject.Core.Jobs;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaceObject.Api.Endpoints;

/// <summary>Following and ending tasks: <c>/api/task/{id}</c>.</summary>
internal static class TaskEndpoints
{
    /// <summary>Long polls (here and on a submit's <c>?wait=</c>) are capped so a client cannot hold a connection open indefinitely.</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    public static string StatusUrl(string taskId) => TaskView.StatusUrl(taskId);

    public static RouteGroupBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/task/{id}").WithTags("Tasks").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", GetAsync)
            .WithName("GetTask")
            .WithSummary("A task's status and, when completed, its result; ?wait=5s long-polls")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/image", GetImageAsync)
            .WithName("GetTaskImage")
            .WithSummary("The annotated or blurred image of a task that asked for one")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg");
        group.MapDelete("/", DeleteAsync)
            .WithName("DeleteTask")
            .WithSummary("Cancel a queued task, or delete a finished one with its data")
            .RequireDeleteRole()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Results<Ok<TaskView>, ProblemHttpResult>> GetAsync(
        string id, string? wait, ITaskStore tasks, IQueueInspector queues, IPipelineRunStore runs, [FromServices] IObjectBucket? bucket,
        CancellationToken cancellationToken)
    {
        if (!TryParseWait(wait, out var timeout))
        {
            return BadWait(wait);
        }

        var task = timeout > TimeSpan.Zero
            ? await tasks.WaitForEndAsync(id, timeout, cancellationToken)
            : await tasks.GetAsync(id, cancellationToken);
        if (task is null)
        {
            return UnknownTask(id);
        }

        var view = TaskView.From(task, bucket?.Name);
        if (task is { Status: DetectionTaskStatus.Queued, JobId: { } jobId })
        {
            view = view with { QueuePosition = await queues.GetPositionAsync(task.Queue, jobId, cancellationToken) };
        }

        if (task.Kind == TaskKind.Pipeline && await runs.GetAsync(id, cancellationToken) is { } run)
        {
            view = view with { Stages = [.. run.Stages.Values.OrderBy(s => s.Step).ThenBy(s => s.Stage, StringComparer.Ordinal)] };
        }

        return TypedResults.Ok(view);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetImageAsync(
        string id, ITaskStore tasks, IPayloadStore payloads, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null)
        {
            return UnknownTask(id);
        }

        if (task.OutputImageKey is null)
        {
            return Problems.NotFound(task.Status.IsTerminal()
                ? $"Task '{id}' has no output image: submit with annotate=true or blur=true to get one."
                : $"Task '{id}' is {task.Status.ToString().ToLowerInvariant()}; its image exists once it has completed (if annotate=true or blur=true was asked).");
        }

        var bytes = await payloads.GetAsync(task.OutputImageKey, cancellationToken);
        return bytes is null
            ? Problems.NotFound($"The output image of task '{id}' has expired.")
            : TypedResults.File(bytes, "image/jpeg", $"{id}.jpg");
    }

    internal static async Task<Results<NoContent, Ok<TaskView>, ProblemHttpResult>> DeleteAsync(
        string id, ITaskStore tasks, IPayloadStore payloads, IJobScheduler scheduler, TimeProvider clock, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(id, cancellationToken);
        if (task is null)
        {
            return UnknownTask(id);
        }

        if (task.Status == DetectionTaskStatus.Queued && await tasks.TryCancelAsync(id, clock.GetUtcNow(), cancellationToken))
        {
            if (task.JobId is { } jobId)
            {
                scheduler.TryCancel(jobId);
            }

            scheduler.EnqueueCallbackIfAsked(task);

            await DeletePayloadsAsync(task, payloads, cancellationToken);
            return TypedResults.Ok(TaskView.From((await tasks.GetAsync(id, cancellationToken)) ?? task));
        }

        var current = await tasks.GetAsync(id, cancellationToken);
        if (current is { Status: DetectionTaskStatus.Processing })
        {
            return Problems.Conflict($"Task '{id}' is processing and cannot be cancelled; delete it once it has ended.");
        }

        await DeletePayloadsAsync(current ?? task, payloads, cancellationToken);
        await tasks.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Everything FaceObject stored for the task; a by-key task's source object is the client's and stays.</summary>
    private static async Task DeletePayloadsAsync(TaskRecord task, IPayloadStore payloads, CancellationToken cancellationToken)
    {
        foreach (var key in new[] { task.PayloadKey, task.OutputImageKey, PayloadKeys.Result(task.TaskId) }.OfType<string>())
        {
            await payloads.DeleteAsync(key, cancellationToken);
        }
    }

    internal static ProblemHttpResult BadWait(string? wait) =>
        Problems.BadRequest($"'wait' must be a duration such as 5s, 500ms or 5 (seconds), at most {MaxWait.TotalSeconds:F0}s; got '{wait}'.");

    private static ProblemHttpResult UnknownTask(string id) =>
        Problems.NotFound($"No task '{id}': it never existed, was deleted, or expired (tasks are kept for Tasks:Ttl).");

    internal static bool TryParseWait(string? text, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var value = text.Trim().ToLowerInvariant();
        var (number, scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            || amount < 0 || double.IsNaN(amount) || amount * scale > MaxWait.TotalSeconds)
        {
            return false;
        }

        wait = TimeSpan.FromSeconds(amount * scale);
        return true;
    }
}

using System.Text.Json;
using FaceObject.Core;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Results;
using FaceObject.Core.Tasks;
using FaceObject.Inference;
using FaceObject.Inference.Rendering;
using FaceObject.Processing.Fetching;
using Microsoft.Extensions.Logging;
using Mat = OpenCvSharp.Mat;
using Rect = OpenCvSharp.Rect;

namespace FaceObject.Processing.Pipelines;

/// <summary>
/// Runs a finished run's actions in definition order. Each is recorded in the run once done, so a retried step
/// skips it; the record store's own ledger covers a crash between its write and that record, so a row is never
/// written twice. A failure throws, and Hangfire retries the step (PostgreSQL or Redis down).
/// </summary>
/// <remarks>
/// Fields whose templates read a branch that did not succeed are left out (an update then keeps the column as it
/// was) or written as NULL (a create), never as an empty string standing for a value.
/// </remarks>
internal sealed partial class PipelineActions(
    IPipelineRunStore runs,
    TaskInputLoader inputs,
    TimeProvider clock,
    ILogger<PipelineActions> logger,
    IPipelineRecordStore? records = null,
    IPipelineOutputs? outputs = null)
{
    public async Task<PipelineRun> RunAsync(TaskRecord task, PipelineRun run, CancellationToken cancellationToken)
    {
        var actions = run.Definition.Actions;
        for (var i = 0; i < actions.Count; i++)
        {
            if (run.Actions.ContainsKey(i))
            {
                continue;
            }

            var values = PipelineTemplates.Values(run, task.StartedAt ?? task.CreatedAt);
            var outcome = await RunOneAsync(task, run, actions[i], i, values, cancellationToken);
            await runs.RecordActionAsync(task.TaskId, i, outcome, cancellationToken);
            LogActionDone(task.TaskId, i, outcome.Type, outcome.RecordId ?? outcome.Key);
            run = run with { Actions = new Dictionary<int, ActionOutcome>(run.Actions) { [i] = outcome } };
        }

        return run;
    }

    private async Task<ActionOutcome> RunOneAsync(TaskRecord task, PipelineRun run, ActionStage action, int index, Dictionary<string, string> values,
        CancellationToken cancellationToken)
    {
        var operationKey = $"{task.TaskId}:action:{index}";
        switch (action.Type)
        {
            case PipelineValidator.CreateRecord:
            {
                var fields = action.Fields.ToDictionary(f => f.Key, f => Fill(f.Value, values), StringComparer.Ordinal);
                var id = await Records().CreateRecordAsync(action.Table!, fields, operationKey, cancellationToken);
                return new ActionOutcome(action.Type, RecordId: id);
            }

            case PipelineValidator.UpdateCombined:
            {
                var fields = action.Fields.Select(f => (f.Key, Value: Fill(f.Value, values))).Where(f => f.Value is not null)
                    .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
                var key = UpdateKey(run, action, values);
                var rows = fields.Count == 0 ? 0 : await Records().UpdateRecordAsync(action.Table!, action.KeyField!, key, fields, operationKey, cancellationToken);
                return new ActionOutcome(action.Type, RowsUpdated: rows, Key: key);
            }

            case PipelineValidator.SaveImage:
            {
                var key = PipelineTemplates.Render(action.Key!, values);
                if (await CropAsync(task, run, action.Region!, cancellationToken) is not { } jpeg)
                {
                    return new ActionOutcome(action.Type, Key: null);
                }

                await Outputs().SaveImageAsync(key, jpeg, TimeSpan.FromSeconds(action.ExpireSeconds), cancellationToken);
                return new ActionOutcome(action.Type, Key: key);
            }

            default:
            {
                var channel = PipelineTemplates.Render(action.Channel ?? run.Pipeline, values);
                var message = action.Message.ToDictionary(m => m.Key, m => Fill(m.Value, values), StringComparer.Ordinal);
                message.TryAdd("task_id", task.TaskId);
                message.TryAdd("pipeline", run.Pipeline);
                message.TryAdd("published_at", clock.GetUtcNow().ToString("O"));
                await Outputs().PublishAsync(channel, JsonSerializer.Serialize(message, FaceObjectJson.Options), cancellationToken);
                return new ActionOutcome(action.Type, Key: channel);
            }
        }
    }

    /// <summary>
    /// The value <c>key_field</c> must have: the action's own <c>key</c> template when given, else what this run's
    /// create action wrote into that column, else the created record's key.
    /// </summary>
    private static string UpdateKey(PipelineRun run, ActionStage update, Dictionary<string, string> values)
    {
        if (update.Key is { } template)
        {
            return PipelineTemplates.Render(template, values);
        }

        var create = run.Definition.Actions.FirstOrDefault(a => a.Type == PipelineValidator.CreateRecord && a.Table == update.Table
            && a.Fields.ContainsKey(update.KeyField!));
        return create is not null
            ? PipelineTemplates.Render(create.Fields[update.KeyField!], values)
            : values.GetValueOrDefault("record_id", "");
    }

    /// <summary>The template filled, or null when any name in it has no value (a branch that failed).</summary>
    private static string? Fill(string template, Dictionary<string, string> values) =>
        PipelineValidator.TemplateNames(template).All(values.ContainsKey) ? PipelineTemplates.Render(template, values) : null;

    /// <summary>The best detection of <paramref name="region"/> cut from the input as a JPEG; null when there is none.</summary>
    private async Task<byte[]?> CropAsync(TaskRecord task, PipelineRun run, string region, CancellationToken cancellationToken)
    {
        var detection = PipelineTemplates.Detections(run).Where(d => d.ClassName == region).MaxBy(d => d.Confidence);
        if (detection is null || (await inputs.LoadAsync(task, null, cancellationToken)).Content is not { } content)
        {
            return null;
        }

        using var image = ImageDecoder.Decode(content);
        var box = detection.Bbox.ClipTo(image.Width, image.Height);
        using var crop = new Mat(image, new Rect((int)box.X1, (int)box.Y1, Math.Max(1, (int)box.Width), Math.Max(1, (int)box.Height)));
        return DetectionRenderer.EncodeJpeg(crop);
    }

    private IPipelineRecordStore Records() => records
        ?? throw new InvalidOperationException("This pipeline writes to PostgreSQL, but ConnectionStrings:Postgres is not set on this worker.");

    private IPipelineOutputs Outputs() => outputs
        ?? throw new InvalidOperationException("This pipeline writes to Redis, but ConnectionStrings:Redis is not set on this worker.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline task {TaskId}: action {Index} ({Type}) done {Key}")]
    private partial void LogActionDone(string taskId, int index, string type, string? key);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using FaceObject.Api.Endpoints;
using FaceObject.Api.Submissions;
using FaceObject.Core.Models;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Tasks;
using FaceObject.Core.Storage;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Prometheus;

namespace FaceObject.Api.Ingestion;

/// <summary>
/// Turns one broker message into a task (a detector's or a pipeline's), broker-neutral; a <c>health_check</c> message
/// is answered instead (<see cref="HealthCheckMessage"/>). The message becomes the request an HTTP client would send
/// (JSON naming <c>image_url</c> or <c>image_key</c>, or a form with the decoded <c>image</c> as <c>file</c>) and goes
/// through the same submit handler, so it is validated, stored and enqueued exactly as over HTTP. The producer's
/// <c>task_id</c> is the task's id and, as an <c>Idempotency-Key</c>, makes a redelivered message replay its task.
/// Thread-safe.
/// </summary>
internal sealed partial class MessageIngestor(
    IServiceScopeFactory scopes,
    HealthCheckMessage health,
    IOptions<IngestOptions> ingestOptions,
    IOptions<ApiOptions> apiOptions,
    ILogger<MessageIngestor> logger)
{
    public const string Example = """{"task_id": "photo-0001", "model": "object", "image_url": "https://example.com/photo.jpg"}""";

    private const string Sources = "exactly one of 'image_key' (an object in the bucket), 'image_url' or 'image' (the file in base64)";

    private static readonly string[] SourceFields = ["image_key", "image_url", "image"];

    private static readonly Counter Messages = Metrics.CreateCounter(
        "faceobject_ingest_messages_total", "Broker messages read, by what became of them (accepted, poison: dead-lettered, retry: left for redelivery).",
        "broker", "outcome");

    /// <summary>Counts what became of a message; the brokers call it once per delivery.</summary>
    public static void Count(string broker, IngestOutcome outcome) =>
        Messages.WithLabels(broker, outcome.Verdict.ToString().ToLowerInvariant()).Inc();

    /// <param name="body">The message document, UTF-8 JSON.</param>
    /// <param name="deliveryKey">
    /// Names this message at the broker across redeliveries (e.g. the stream entry id); a message without a
    /// <c>task_id</c> is submitted once per key (every time when null).
    /// </param>
    public async Task<IngestOutcome> IngestAsync(ReadOnlyMemory<byte> body, string? deliveryKey, CancellationToken cancellationToken)
    {
        var limit = ingestOptions.Value.MessageLimit(apiOptions.Value.MaxImageBytes);
        if (body.Length > limit)
        {
            return IngestOutcome.Poison($"The message is {body.Length:N0} bytes; at most {limit:N0} are accepted (Ingest:MaxMessageBytes). Put big images in the bucket and send 'image_key'.");
        }

        JsonObject message;
        try
        {
            message = JsonNode.Parse(body.Span) as JsonObject
                ?? throw new JsonException("the document is not an object");
        }
        catch (JsonException e)
        {
            return IngestOutcome.Poison($"The message is not a JSON object ({e.Message}); send e.g. {Example}.");
        }

        var taskId = Text(message, "task_id");
        if (message["task_id"] is not null && !ChosenTaskId.IsValid(taskId))
        {
            return IngestOutcome.Poison($"'task_id' must be {ChosenTaskId.Accepted}, or left out for a new id.");
        }

        switch (message["type"])
        {
            case null:
                break;
            case JsonValue type when type.TryGetValue<string>(out var name) && name == HealthCheckMessage.Type:
                return await health.AnswerAsync(taskId, cancellationToken);
            default:
                return IngestOutcome.Poison($"'type' may only be \"{HealthCheckMessage.Type}\" (seed 002's worker check); leave it out to submit a task, e.g. {Example}.");
        }

        if (!TryTarget(message, out var target, out var kind))
        {
            return IngestOutcome.Poison($"The message must name exactly one of 'model' (a detector) or 'pipeline' (GET /api/pipelines lists them); send e.g. {Example}.");
        }

        if (!TryFlatten(message, out var fields, out var image, out var error))
        {
            return IngestOutcome.Poison(error);
        }

        using var scope = scopes.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        if ((taskId ?? deliveryKey) is { } key)
        {
            context.Request.Headers[IdempotencyKey.Header] = "message:" + key;
        }

        if (taskId is not null)
        {
            context.Features.Set(new ChosenTaskId(taskId));
        }

        if (image is null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(fields);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = json.Length;
            context.Request.Body = new MemoryStream(json);
        }
        else if (TryForm(fields, image, out var form, out error))
        {
            context.Request.ContentType = "multipart/form-data; boundary=ingest";
            context.Features.Set<IFormFeature>(new FormFeature(form));
        }
        else
        {
            return IngestOutcome.Poison(error);
        }

        var outcome = await SubmitAsync(target, kind, context, cancellationToken);
        if (outcome.Verdict == IngestVerdict.Accepted && ingestOptions.Value.FaultTestingPauseBeforeAck is { Ticks: > 0 } pause)
        {
            LogFaultTestingPause(outcome.TaskId!, pause);
            await Task.Delay(pause, cancellationToken);
        }

        return outcome;
    }

    /// <summary>What the message runs: a detector named by <c>model</c>, or a pipeline named by <c>pipeline</c>.</summary>
    private static bool TryTarget(JsonObject message, out string target, out TaskKind kind)
    {
        var model = Text(message, "model");
        var pipeline = Text(message, "pipeline");
        (target, kind) = (model, pipeline) switch
        {
            ({ Length: > 0 }, null) => (model, TaskKind.Image),
            (null, { Length: > 0 }) => (pipeline, TaskKind.Pipeline),
            _ => ("", TaskKind.Image),
        };
        return target.Length > 0 && (message["model"] is null || message["pipeline"] is null);
    }

    private static async Task<IngestOutcome> SubmitAsync(string target, TaskKind kind, HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        Results<Accepted<TaskAccepted>, ProblemHttpResult> answer;
        try
        {
            var submitter = services.GetRequiredService<TaskSubmitter>();
            var reports = services.GetRequiredService<IModelReportStore>();
            var options = services.GetRequiredService<IOptions<ApiOptions>>();
            var outbound = services.GetRequiredService<OutboundPolicy>();
            answer = kind == TaskKind.Pipeline
                ? await PipelineEndpoints.SubmitAsync(target, context.Request, services.GetRequiredService<PipelineCatalog>(), submitter, reports, options, outbound, cancellationToken)
                : await DetectEndpoints.SubmitImageAsync(target, context.Request, services.GetRequiredService<ModelCatalog>(), submitter, reports, options, outbound, cancellationToken);
        }
        catch (QueueFullException e)
        {
            return IngestOutcome.Retry(e.Message);
        }
        catch (StorageUnavailableException e)
        {
            return IngestOutcome.Retry(e.Message);
        }

        return answer.Result switch
        {
            Accepted<TaskAccepted> accepted => IngestOutcome.Accepted(accepted.Value!.TaskId),

            // 409: an earlier delivery of this message is still being accepted; 429 and 503 pass.
            ProblemHttpResult { StatusCode: 409 or 429 or >= 500 } passing => IngestOutcome.Retry(passing.ProblemDetails.Detail ?? "try again"),
            ProblemHttpResult refused => IngestOutcome.Poison(refused.ProblemDetails.Detail ?? refused.ProblemDetails.Title ?? "refused"),
            _ => throw new InvalidOperationException("The submit handler answered with an unexpected result."),
        };
    }

    /// <summary>
    /// The fields an HTTP submit would carry: the image's source and the options, which may sit at the top level or
    /// in <c>options</c>. <paramref name="image"/> is the decoded <c>image</c>, when the message carries the file.
    /// </summary>
    private static bool TryFlatten(JsonObject message, out JsonObject fields, out byte[]? image, out string error)
    {
        fields = [];
        image = null;
        error = "";
        var sources = SourceFields.Count(message.ContainsKey);
        if (sources != 1)
        {
            error = $"The message must name {Sources}; it has {(sources == 0 ? "none" : sources.ToString(System.Globalization.CultureInfo.InvariantCulture))}.";
            return false;
        }

        foreach (var (name, value) in message)
        {
            switch (name)
            {
                case "model" or "pipeline" or "task_id":
                    break;
                case "image":
                    if (value is not JsonValue text || !text.TryGetValue<string>(out var base64) || !TryBase64(base64, out image))
                    {
                        error = "'image' must be the image file's bytes in base64.";
                        return false;
                    }

                    break;
                case "options":
                    if (value is not JsonObject options)
                    {
                        error = "'options' must be an object such as {\"score_threshold\": 0.5, \"annotate\": true}.";
                        return false;
                    }

                    foreach (var (option, setting) in options)
                    {
                        fields[option] = setting?.DeepClone();
                    }

                    break;
                default:
                    fields[name] = value?.DeepClone();
                    break;
            }
        }

        return true;
    }

    private static bool TryBase64(string text, out byte[]? bytes)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        bytes = Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
        return bytes is not null;
    }

    /// <summary>The form a multipart upload of <paramref name="image"/> with these option fields would give.</summary>
    private static bool TryForm(JsonObject fields, byte[] image, out FormCollection form, out string error)
    {
        form = Microsoft.AspNetCore.Http.FormCollection.Empty;
        using var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(fields));
        if (!ImageUrlRequestReader.TryReadFields(json.RootElement, Example, out var values, out error))
        {
            return false;
        }

        var files = new FormFileCollection { new FormFile(new MemoryStream(image), 0, image.Length, "file", "image") };
        form = new FormCollection(values.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal), files);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fault testing: task {TaskId} is recorded; holding its message unacknowledged for {Pause}")]
    private partial void LogFaultTestingPause(string taskId, TimeSpan pause);

    private static string? Text(JsonObject message, string name) =>
        message[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

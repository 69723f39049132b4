using System.Diagnostics;
using System.Text.Json;
using FaceObject.Api.Infrastructure;
using FaceObject.Api.Infrastructure.OpenApi;
using FaceObject.Api.Submissions;
using FaceObject.Core.Pipelines;
using FaceObject.Core.Storage;
using FaceObject.Core.Tasks;
using FaceObject.SafeHttp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceObject.Api.Endpoints;

/// <summary>
/// Seed 002's <c>POST /process</c>: a pipeline over a list of images by URL, answered in one response. Each image is
/// one pipeline task (fetched by a worker through the guarded client, like <c>image_url</c>); the answer waits for
/// all of them up to <c>?wait=</c> (30 s by default, at most 60 s), and when they run over it is 202 with the tasks.
/// </summary>
internal static class ProcessEndpoint
{
    public const int MaxImages = 16;
    private const string Example = """{"pipeline": "blur-and-detect", "source_images": [{"id": "img1", "url": "https://example.com/a.jpg"}], "config": {}}""";
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    public static RouteHandlerBuilder MapProcess(this IEndpointRouteBuilder app) =>
        app.MapGroup("/process")
            .WithSubmitConventions()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MapPost("", ProcessAsync)
            .WithTags("Pipelines")
            .WithName("ProcessImages")
            .WithSummary("Seed 002: run a pipeline on images by URL and answer with every result at once")
            .WithDescription($"Body: {Example}. Answers 200 with {{pipeline, total_time, source_images, detections, algorithms}} when every image "
                + "has ended within ?wait= (30s by default, at most 60s), else 202 with the task of each image to poll at /api/task/{id}.")
            .Accepts<ProcessRequest>(MediaTypes.Json)
            .Produces<ProcessResult>()
            .Produces<ProcessAccepted>(StatusCodes.Status202Accepted);

    internal static async Task<Results<Ok<ProcessResult>, Accepted<ProcessAccepted>, ProblemHttpResult>> ProcessAsync(
        string? wait,
        HttpRequest request,
        PipelineCatalog pipelines,
        TaskSubmitter submitter,
        ITaskStore tasks,
        OutboundPolicy outbound,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (!TaskEndpoints.TryParseWait(wait, out var timeout))
        {
            return TaskEndpoints.BadWait(wait);
        }

        if (!request.HasJsonContentType())
        {
            return Problems.UnsupportedMedia($"Send the request as application/json, e.g. {Example}.");
        }

        if (await ImageUrlRequestReader.ReadBodyAsync(request, cancellationToken) is not { } body)
        {
            return Problems.TooLarge($"The JSON body is larger than {ImageUrlRequestReader.MaxBodyBytes:N0} bytes; list at most {MaxImages} image URLs.");
        }

        if (!ProcessRequest.TryRead(body, out var process, out var error))
        {
            return Problems.BadRequest($"{error} Send e.g. {Example}.");
        }

        if (!pipelines.TryGet(process.Pipeline, out _))
        {
            return Problems.NotFound($"No pipeline '{process.Pipeline}' is configured. Pipelines: {string.Join(", ", pipelines.Names)} (GET /info lists them).");
        }

        for (var i = 0; i < process.SourceImages.Count; i++)
        {
            if (outbound.CheckSubmittedUrl(process.SourceImages[i].Url, $"source_images[{i}].url") is { } urlError)
            {
                return Problems.BadRequest(urlError);
            }
        }

        var submitted = new List<(ProcessSourceImage Image, TaskRecord Task)>();
        foreach (var image in process.SourceImages)
        {
            var task = await submitter.SubmitUrlOnceAsync(null, null, process.Pipeline, image.Url, new DetectionOptions(), cancellationToken, TaskKind.Pipeline);
            submitted.Add((image, task.Value!));
        }

        var deadline = DateTimeOffset.UtcNow + (timeout > TimeSpan.Zero ? timeout : DefaultWait);
        var ended = new List<(ProcessSourceImage Image, TaskRecord Task)>();
        foreach (var (image, task) in submitted)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            var end = left > TimeSpan.Zero ? await tasks.WaitForEndAsync(task.TaskId, left, cancellationToken) : await tasks.GetAsync(task.TaskId, cancellationToken);
            if (end is not { Status: var status } || !status.IsTerminal())
            {
                return TypedResults.Accepted((string?)null, new ProcessAccepted(process.Pipeline,
                    [.. submitted.Select(s => new ProcessTask(s.Image.Id, s.Task.TaskId, TaskView.StatusUrl(s.Task.TaskId)))]));
            }

            ended.Add((image, end));
        }

        return TypedResults.Ok(ProcessResult.From(process.Pipeline, ended, Stopwatch.GetElapsedTime(started)));
    }
}

/// <summary>Seed 002's request: a pipeline name and images by URL; <c>config</c> must be empty (a pipeline's settings are its definition).</summary>
internal sealed record ProcessRequest(string Pipeline, IReadOnlyList<ProcessSourceImage> SourceImages)
{
    public static bool TryRead(byte[] body, out ProcessRequest request, out string error)
    {
        request = new ProcessRequest("", []);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = $"The body is not valid JSON ({e.Message}).";
            return false;
        }

        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pipeline", out var name) || name.ValueKind != JsonValueKind.String)
            {
                error = "'pipeline' must name a pipeline.";
                return false;
            }

            if (root.TryGetProperty("config", out var config) && config.ValueKind != JsonValueKind.Null
                && (config.ValueKind != JsonValueKind.Object || config.EnumerateObject().Any()))
            {
                error = "'config' must be empty or left out: a pipeline's settings are its definition (GET /api/pipelines).";
                return false;
            }

            if (!root.TryGetProperty("source_images", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > ProcessEndpoint.MaxImages)
            {
                error = $"'source_images' must list 1 to {ProcessEndpoint.MaxImages} images, each {{\"id\": ..., \"url\": ...}}.";
                return false;
            }

            var images = new List<ProcessSourceImage>();
            foreach (var (item, i) in list.EnumerateArray().Select((item, i) => (item, i)))
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String)
                {
                    error = $"source_images[{i}] must be {{\"id\": ..., \"url\": ...}} with the image's URL.";
                    return false;
                }

                var id = item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (images.Any(x => x.Id == id))
                {
                    error = $"source_images[{i}].id '{id}' is used twice; ids are unique.";
                    return false;
                }

                images.Add(new ProcessSourceImage(id, url.GetString()!));
            }

            request = new ProcessRequest(name.GetString()!, images);
            error = "";
            return true;
        }
    }
}

internal sealed record ProcessSourceImage(string Id, string Url);

/// <summary>
/// Seed 002's answer: the images with their task and size, every kept detection tagged with its image, and per
/// algorithm (each stage of the pipeline) its model and each image's metadata or branch result.
/// </summary>
internal sealed record ProcessResult(
    string Pipeline,
    double TotalTime,
    IReadOnlyList<Dictionary<string, object?>> SourceImages,
    IReadOnlyList<Dictionary<string, object?>> Detections,
    Dictionary<string, Dictionary<string, object?>> Algorithms)
{
    public static ProcessResult From(string pipeline, IReadOnlyList<(ProcessSourceImage Image, TaskRecord Task)> ended, TimeSpan elapsed)
    {
        var images = new List<Dictionary<string, object?>>();
        var detections = new List<Dictionary<string, object?>>();
        var algorithms = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        foreach (var (image, task) in ended)
        {
            var result = task.Result;
            images.Add(new Dictionary<string, object?>
            {
                ["id"] = image.Id,
                ["url"] = image.Url,
                ["task_id"] = task.TaskId,
                ["status"] = task.Status,
                ["error"] = task.Error,
                ["image"] = result is { } r && r.TryGetProperty("image", out var size) ? size : null,
            });
            if (result is not { } doc)
            {
                continue;
            }

            foreach (var detection in doc.GetProperty("detections").EnumerateArray())
            {
                var tagged = detection.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
                tagged["source_image_id"] = image.Id;
                detections.Add(tagged);
            }

            Add(algorithms, "detect", image.Id, doc.GetProperty("detection_metadata"));
            Add(algorithms, "blur", image.Id, doc.GetProperty("blur_metadata"));
            foreach (var branch in doc.GetProperty("branches").EnumerateObject())
            {
                Add(algorithms, branch.Name, image.Id, branch.Value);
            }
        }

        return new ProcessResult(pipeline, Math.Round(elapsed.TotalSeconds, 3), images, detections, algorithms);
    }

    private static void Add(Dictionary<string, Dictionary<string, object?>> algorithms, string name, string imageId, JsonElement result)
    {
        if (result.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (!algorithms.TryGetValue(name, out var algorithm))
        {
            algorithms[name] = algorithm = new Dictionary<string, object?>
            {
                ["model"] = result.TryGetProperty("model", out var model) ? model.GetString() : null,
                ["results"] = new Dictionary<string, JsonElement>(),
            };
        }

        ((Dictionary<string, JsonElement>)algorithm["results"]!)[imageId] = result.Clone();
    }
}

/// <summary>The 202 of <c>/process</c> when the images did not all end in time: each image's task to poll.</summary>
internal sealed record ProcessAccepted(string Pipeline, IReadOnlyList<ProcessTask> Tasks);

internal sealed record ProcessTask(string Id, string TaskId, string StatusUrl);
